// The input of the Kafka fault suite, and what each of its pipelines must
// make of it, computed here. Keyed JSON records whose event times are out of
// order by up to 1.5 s (the source allows 2 s, so none is late), each key in
// one partition; a few cannot be read; at the end one record per partition
// a day ahead, which moves every partition's watermark past every window.
import type { KafkaWriter } from '@sluice/engine';

type OutgoingMessage = Parameters<KafkaWriter['send']>[0][number];

export const PARTITIONS = 4;
const RECORDS = 30_000;
const KEYS = 48;
const BASE = Date.UTC(2024, 0, 1);
const WINDOW_MS = 10_000;
const CLOSING_TIME = BASE + 86_400_000;

interface Input {
  readonly i: number;
  readonly key: string;
  readonly partition: number;
  /** Undefined for a record the source cannot read. */
  readonly n?: number;
  readonly ts: number;
  readonly value: string;
}

function record(i: number): Input {
  const k = (i * 7919) % KEYS;
  const key = `k${k}`;
  const partition = k % PARTITIONS;
  const ts = BASE + i * 20 - ((i * 37) % 1_500);
  const time = new Date(ts).toISOString();
  // One in a thousand is not JSON, one in a thousand has no event time.
  if (i % 1_000 === 500) return { i, key, partition, ts, value: `{"key": "${key}", "n": ` };
  if (i % 1_000 === 900) return { i, key, partition, ts, value: JSON.stringify({ key, n: i }) };
  return { i, key, partition, n: i, ts, value: JSON.stringify({ key, n: i, ts: time }) };
}

const INPUT: readonly Input[] = Array.from({ length: RECORDS }, (_, i) => record(i));
const CLOSING: readonly Input[] = Array.from({ length: PARTITIONS }, (_, p) => ({
  i: RECORDS + p,
  key: `close${p}`,
  partition: p,
  n: 0,
  ts: CLOSING_TIME,
  value: JSON.stringify({ key: `close${p}`, n: 0, ts: new Date(CLOSING_TIME).toISOString() }),
}));

const message = (topic: string, r: Input): OutgoingMessage => ({
  topic,
  partition: r.partition,
  key: r.key,
  value: r.value,
});

/** Input records `from` up to `to` (in the order they are written) as messages to `topic`. */
export function inputMessages(topic: string, from: number, to: number): OutgoingMessage[] {
  return INPUT.slice(from, to).map((r) => message(topic, r));
}

/** The last records, one per partition, far ahead in event time. */
export function closingMessages(topic: string): OutgoingMessage[] {
  return CLOSING.map((r) => message(topic, r));
}

/** Window results by `key|window_start` (epoch ms), each as `records|total`. */
export type ExpectedWindows = ReadonlyMap<string, string>;

/**
 * What Kafka → filter (MOD(n, 5) <> 3) → map (v = n * 2 + 1) → tumbling
 * 10 s window (count, sum of v per key) writes. The closing records' own
 * windows never close, so they add no result.
 */
export function expectedWindows(): ExpectedWindows {
  const windows = new Map<string, { records: number; total: number }>();
  for (const r of INPUT) {
    if (r.n === undefined || r.n % 5 === 3) continue;
    const start = Math.floor((r.ts - BASE) / WINDOW_MS) * WINDOW_MS + BASE;
    const id = `${r.key}|${start}`;
    const w = windows.get(id) ?? { records: 0, total: 0 };
    w.records++;
    w.total += r.n * 2 + 1;
    windows.set(id, w);
  }
  return new Map([...windows].map(([id, w]) => [id, `${w.records}|${w.total}`]));
}

/** Per key, its running total after each of its records: index c - 1 holds the total of the first c. */
export type ExpectedUpdates = ReadonlyMap<string, readonly number[]>;

/**
 * What Kafka → running aggregate (count, sum of n per key) can write: each
 * update of a key is its count and total after some prefix of its records
 * (which prefixes depends on how the input fell into batches), the last one
 * after all of them. The closing records are keys of their own.
 */
export function expectedUpdates(): ExpectedUpdates {
  const totals = new Map<string, number[]>();
  for (const r of [...INPUT, ...CLOSING]) {
    if (r.n === undefined) continue;
    const list = totals.get(r.key) ?? [];
    totals.set(r.key, list);
    list.push((list.at(-1) ?? 0) + r.n);
  }
  return totals;
}
