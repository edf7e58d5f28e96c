// The running aggregate against brute force on random input: whatever the
// batches, the last row emitted per key is the SQL GROUP BY over the records
// that count at the end (all of them, or the latest per update key).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['k', 'string'],
  ['u', 'long'],
  ['v', 'long'],
]);

/** The aggregates that can take a value back; q fails (division by zero) when v is 0. */
const RETRACTABLE = [
  { name: 'n', fn: 'count' },
  { name: 'vs', fn: 'count', expr: 'v' },
  { name: 's', fn: 'sum', expr: 'v' },
  { name: 'a', fn: 'avg', expr: 'v' },
  { name: 'pos', fn: 'sum', expr: 'v', where: 'v > 0' },
  { name: 'q', fn: 'sum', expr: '10 / v', where: 'v <> 1' },
];

const EVERY = [
  ...RETRACTABLE,
  { name: 'mn', fn: 'min', expr: 'v' },
  { name: 'mx', fn: 'max', expr: 'v' },
  { name: 'd', fn: 'count_distinct', expr: 'v' },
  { name: 'f', fn: 'first', expr: 'v' },
  { name: 'l', fn: 'last', expr: 'v' },
];

interface Rec {
  readonly k: string | null;
  readonly u: number | null;
  readonly v: number | null;
  readonly t: number;
}

const record = fc.record({
  k: fc.constantFrom('a', 'b', 'c', null),
  u: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  v: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
  t: fc.integer({ min: -60, max: 200 }),
});

const sum = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((x, y) => x + y, 0);

/** What SQL's GROUP BY k gives for one key's records, in arrival order. */
function expectedRow(k: string | null, recs: readonly Rec[], every: boolean): Row {
  const values = recs.map((r) => r.v).filter((v): v is number => v !== null);
  const row: Row = {
    k,
    n: recs.length,
    vs: values.length,
    s: sum(values),
    a: values.length ? sum(values)! / values.length : null,
    pos: sum(values.filter((v) => v > 0)),
    q: sum(values.filter((v) => v !== 1).map((v) => Math.trunc(10 / v))),
  };
  if (!every) return row;
  // Arrival order breaks ties of first/last: a stable sort by time keeps it.
  const byTime = [...recs].sort((x, y) => x.t - y.t);
  return {
    ...row,
    mn: values.length ? Math.min(...values) : null,
    mx: values.length ? Math.max(...values) : null,
    d: new Set(values).size,
    f: byTime[0]!.v,
    l: byTime.at(-1)!.v,
  };
}

/** The records that count at the end: all, or the latest of each update key. Failing ones never count. */
function counted(recs: readonly Rec[], byUpdateKey: boolean): Rec[] {
  const valid = recs.filter((r) => r.v !== 0);
  if (!byUpdateKey) return valid;
  const latest = new Map<number | null, Rec>();
  for (const r of valid) {
    latest.delete(r.u);
    latest.set(r.u, r);
  }
  // Back in arrival order, for first/last ties and sums in the engine's order.
  return valid.filter((r) => latest.get(r.u) === r);
}

/** Runs the records in batches of the given sizes (the rest in one); checks each batch's rows. */
function runInBatches(recs: readonly Rec[], sizes: readonly number[], byUpdateKey: boolean) {
  const h = operatorHarness({
    kind: 'transform.aggregate',
    config: {
      groupBy: ['k'],
      aggregates: byUpdateKey ? RETRACTABLE : EVERY,
      ...(byUpdateKey ? { updateKey: ['u'] } : {}),
    },
    inputs: [INPUT],
  });
  let at = 0;
  for (const size of [...sizes, recs.length]) {
    const part = recs.slice(at, at + size);
    if (part.length === 0) break;
    const before = h.emitted().rows.length;
    h.push(
      part.map((r) => ({ k: r.k, u: r.u, v: r.v })),
      part.map((r) => r.t),
    );
    const rows = h.emitted().rows.slice(before);
    const times = h.emitted().times.slice(before);
    // Coalesced: one row per key the batch changed.
    expect(new Set(rows.map((r) => r.k)).size).toBe(rows.length);
    if (!byUpdateKey) {
      // In order of first change, at the latest time of the key's records in the batch.
      const valid = part.filter((r) => r.v !== 0);
      expect(rows.map((r) => r.k)).toEqual([...new Set(valid.map((r) => r.k))]);
      expect(times).toEqual(
        rows.map((r) => Math.max(...valid.filter((x) => x.k === r.k).map((x) => x.t))),
      );
    }
    at += part.length;
  }
  const last = new Map<unknown, Row>();
  for (const row of h.emitted().rows) last.set(row.k, row);
  return { last, errors: h.errors.length, groups: h.operator.metrics?.().groups };
}

describe('transform.aggregate against brute force, however the input is batched', () => {
  const sizes = fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 10 });

  it.each([
    ['every record counts', false],
    ['the latest record per update key counts', true],
  ])('the last row per key is the GROUP BY of the records that count: %s', (_, byUpdateKey) => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 80 }), sizes, (recs, split) => {
        const alive = new Map<string | null, Rec[]>();
        for (const r of counted(recs, byUpdateKey)) alive.set(r.k, [...(alive.get(r.k) ?? []), r]);
        const expected = [...alive].map(([k, mine]) => expectedRow(k, mine, !byUpdateKey));
        for (const cut of [split, recs.map(() => 1), []]) {
          const { last, errors, groups } = runInBatches(recs, cut, byUpdateKey);
          expect(expected.map((row) => last.get(row.k))).toEqual(expected);
          // Without updates every key emitted is alive; with them, emptied keys stay silent.
          if (!byUpdateKey) expect(last.size).toBe(expected.length);
          expect(groups).toBe(expected.length);
          expect(errors).toBe(recs.filter((r) => r.v === 0).length);
        }
      }),
    );
  });
});
