// How an operator kind runs when its job runs as N instances
// (settings.parallelism above 1): each instance is the whole pipeline, reading
// its own share of the Kafka sources' partitions, as Kafka Streams' tasks do.
// Validation (../validation/parallel.ts) reads these declarations to tell a
// pipeline that gives the same results split that way from one that would not:
// a step that keeps state per key needs every record of a key in one
// instance, so its input must be partitioned by one of its keys.

/**
 * The part a kind plays when its job is split. `carries` says which output
 * field holds an input field's value unchanged (so the partitioning carries
 * through), undefined when none does.
 */
export type ParallelDeclaration<C> =
  /**
   * A source each instance reads a share of. `partitionKey` is the field
   * whose value decides a record's partition (a Kafka message's key), if any.
   */
  | { readonly runs: 'shared'; partitionKey(config: C): string | undefined }
  /** Works record by record, in every instance on what that instance reads. */
  | { readonly runs: 'per-record'; carries(config: C, field: string): string | undefined }
  /**
   * Keeps state per key: by input port, the fields that make the key, in the
   * same order on every port (a join's left and right keys pair up by index).
   */
  | {
      readonly runs: 'by-key';
      keys(config: C): Readonly<Record<string, readonly string[]>>;
      carries(config: C, field: string): string | undefined;
    }
  /** Cannot be split among instances: why, in a user's words. */
  | { readonly runs: 'alone'; readonly why: string };

/** A step that passes every input field through under its own name (a filter, a union). */
export function passesFields<C>(): ParallelDeclaration<C> {
  return { runs: 'per-record', carries: (_config, field) => field };
}

/** A sink that writes what its instance reads: nothing comes out of it. */
export function writesEach<C>(): ParallelDeclaration<C> {
  return { runs: 'per-record', carries: () => undefined };
}

/**
 * A step keyed on its one input, `in`, by the fields its config lists under
 * `setting`; its output keeps them by name.
 */
export function keyedBy<K extends string>(
  setting: K,
): ParallelDeclaration<{ readonly [P in K]: readonly string[] }> {
  return {
    runs: 'by-key',
    keys: (config) => ({ in: config[setting] }),
    carries: (config, field) => (config[setting].includes(field) ? field : undefined),
  };
}
