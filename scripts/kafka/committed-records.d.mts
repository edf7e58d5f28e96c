/** One record as read: its partition and offset, key and value as text. */
export interface CommittedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/**
 * Every committed record of `topic`, read from the start with Kafka's own
 * Java client in read_committed mode, until at least `expected` have come and
 * none more for `quietMs` (or `timeoutMs` passed).
 */
export function committedRecords(
  bootstrap: string,
  topic: string,
  options: { expected: number; quietMs: number; timeoutMs: number },
): Promise<CommittedRecord[]>;
