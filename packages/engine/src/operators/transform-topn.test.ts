import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { END_OF_TIME } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['k', 'string'],
  ['price', 'double'],
  ['id', 'long'],
]);

function topn(config: Record<string, unknown> = {}, input = INPUT) {
  return operatorHarness({
    kind: 'transform.topn',
    config: {
      partitionBy: ['k'],
      orderBy: [{ expr: 'price', direction: 'desc' }],
      n: 3,
      ...config,
    },
    inputs: [input],
  });
}

const rec = (k: string | null, price: number | null, id: number): Row => ({ k, price, id });

/** Emitted rows as compact tuples: key, id, rank, and the row's event time. */
function emitted(h: ReturnType<typeof topn>, from = 0) {
  const { rows, times } = h.emitted();
  return rows.slice(from).map((r, i) => [r.k, r.id, r.rank, times[from + i]]);
}

/** The id at each rank per key, from the last row emitted per (key, rank). */
function standings(h: ReturnType<typeof topn>, rankField = 'rank'): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const row of h.emitted().rows) {
    const ranks = out[String(row.k)] ?? [];
    ranks[(row[rankField] as number) - 1] = row.id;
    out[String(row.k)] = ranks;
  }
  return out;
}

describe('transform.topn: ranking', () => {
  it('emits the ranks a batch changed per key, in rank order, at the latest time of its entrants', () => {
    const h = topn();
    h.push([rec('a', 5, 1), rec('a', 3, 2), rec('b', 4, 3)], [10, 30, 20]);
    expect(emitted(h)).toEqual([
      ['a', 1, 1, 30],
      ['a', 2, 2, 30],
      ['b', 3, 1, 20],
    ]);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual(['k', 'price', 'id', 'rank']);
    expect(h.outputs[0]!.fields.map((f) => f.name)).toEqual(['k', 'price', 'id', 'rank']);
    expect(h.outputs[0]!.time).toBe('event');
    // 4 goes second: ranks 2 and 3 changed, rank 1 did not.
    h.push([rec('a', 4, 4)], [40]);
    expect(emitted(h, 3)).toEqual([
      ['a', 4, 2, 40],
      ['a', 2, 3, 40],
    ]);
    // The top 3 of a is full (5, 4, 3): a 1 does not make it and emits nothing.
    h.push([rec('a', 1, 5)], [50]);
    expect(h.emitted().rows).toHaveLength(5);
    // A 6 pushes the 3 out: every rank changed.
    h.push([rec('a', 6, 6)], [60]);
    expect(emitted(h, 5)).toEqual([
      ['a', 6, 1, 60],
      ['a', 1, 2, 60],
      ['a', 4, 3, 60],
    ]);
    expect(h.operator.metrics?.()).toEqual({ partitions: 2, rows: 4 });
    // Nothing waits for a watermark or the end.
    h.watermark(END_OF_TIME);
    h.finish();
    expect(h.emitted().rows).toHaveLength(8);
  });

  it('emits each changed rank once per batch, from the highest rank the batch reached', () => {
    const h = topn({ n: 5 });
    h.push(
      [9, 8, 7, 6, 5].map((p, i) => rec('a', p, i)),
      [0, 0, 0, 0, 0],
    );
    // 5.5 enters at rank 5, then 8.5 at rank 2, then 5.2 enters and is pushed out by 8.8.
    h.push(
      [rec('a', 5.5, 10), rec('a', 8.5, 11), rec('a', 5.2, 12), rec('a', 8.8, 13)],
      [1, 4, 3, 2],
    );
    expect(emitted(h, 5)).toEqual([
      ['a', 13, 2, 4],
      ['a', 11, 3, 4],
      ['a', 1, 4, 4],
      ['a', 2, 5, 4],
    ]);
    expect(h.operator.metrics?.()).toEqual({ partitions: 1, rows: 5 });
  });

  it('ranks records equal in every term in arrival order, the earlier first', () => {
    const h = topn();
    h.push([rec('a', 5, 1), rec('a', 5, 2)], [0, 1]);
    h.push([rec('a', 5, 3)], [2]);
    // A tie with the last of a full top N comes later: it does not make it.
    h.push([rec('a', 5, 4)], [3]);
    expect(emitted(h)).toEqual([
      ['a', 1, 1, 1],
      ['a', 2, 2, 1],
      ['a', 3, 3, 2],
    ]);
    h.push([rec('a', 5.5, 5)], [4]);
    expect(standings(h)).toEqual({ a: [5, 1, 2] });
  });

  it('orders ascending or descending, by several terms, the next breaking ties of the first', () => {
    const h = topn({
      partitionBy: [],
      n: 4,
      orderBy: [
        { expr: 'price', direction: 'asc' },
        { expr: 'id', direction: 'desc' },
        { expr: 'k', direction: 'asc' },
      ],
    });
    h.push(
      [rec('x', 2, 1), rec('x', 1, 2), rec('x', 2, 3), rec('y', 1, 2), rec('a', 1, 2)],
      [0, 1, 2, 3, 4],
    );
    expect(h.emitted().rows.map((r) => [r.k, r.price, r.id, r.rank])).toEqual([
      ['a', 1, 2, 1],
      ['x', 1, 2, 2],
      ['y', 1, 2, 3],
      ['x', 2, 3, 4],
    ]);
    // Without partitionBy there is one ranking.
    expect(h.operator.metrics?.()).toEqual({ partitions: 1, rows: 4 });
  });

  it('ranks NULL last in both directions; a NaN order value is an error for its record', () => {
    const records = [rec('a', null, 1), rec('a', 2, 2), rec('a', Number.NaN, 3), rec('a', null, 4)];
    const desc = topn({ n: 4 });
    desc.push(records, [0, 1, 2, 3]);
    expect(standings(desc)).toEqual({ a: [2, 1, 4] });
    expect(desc.errors.map((e) => e.row)).toEqual([rec('a', Number.NaN, 3)]);
    expect(desc.errors[0]!.reason).toMatch(/the result is NaN/);
    const asc = topn({ n: 4, orderBy: [{ expr: 'price', direction: 'asc' }] });
    asc.push(records, [0, 1, 2, 3]);
    expect(standings(asc)).toEqual({ a: [2, 1, 4] });
    // A full top N of values leaves no room for a NULL.
    const full = topn({ n: 1 });
    full.push([rec('a', -1e9, 1)], [0]);
    full.push([rec('a', null, 2)], [1]);
    expect(standings(full)).toEqual({ a: [1] });
  });

  it('keeps NULL keys in a ranking of their own, apart from every other key', () => {
    const h = topn({ n: 1 });
    h.push([rec(null, 1, 1), rec('a', 2, 2), rec(null, 3, 3)], [0, 1, 2]);
    expect(emitted(h)).toEqual([
      [null, 3, 1, 2],
      ['a', 2, 1, 1],
    ]);
  });

  it('orders text and timestamps', () => {
    const input = stream([
      ['k', 'string'],
      ['name', 'string'],
      ['at', 'timestamp'],
      ['id', 'long'],
    ]);
    const byName = topn({ partitionBy: [], orderBy: [{ expr: 'name', direction: 'asc' }] }, input);
    const rows = [
      { k: 'a', name: 'b', at: 20, id: 1 },
      { k: 'a', name: 'B', at: -5, id: 2 },
      { k: 'a', name: 'ab', at: 10, id: 3 },
      { k: 'a', name: 'a', at: 30, id: 4 },
    ];
    byName.push(rows, [0, 0, 0, 0]);
    // By UTF-16 code unit, as min and max: upper case before lower case.
    expect(standings(byName)).toEqual({ a: [2, 4, 3] });
    const byTime = topn({ partitionBy: [], orderBy: [{ expr: 'at', direction: 'desc' }] }, input);
    byTime.push(rows, [0, 0, 0, 0]);
    expect(standings(byTime)).toEqual({ a: [4, 1, 3] });
  });
});

describe('transform.topn: N = 1 deduplicates', () => {
  const events = stream([
    ['k', 'string'],
    ['id', 'long'],
    ['ts', 'timestamp'],
  ]);
  const dedup = (direction: 'asc' | 'desc') =>
    topn({ n: 1, orderBy: [{ expr: 'ts', direction }] }, events);
  const ev = (k: string, id: number, ts: number): Row => ({ k, id, ts });

  it('keeps the last record per key by time (Nexmark q18), emitting only when it changes', () => {
    const h = dedup('desc');
    h.push([ev('a', 1, 10), ev('b', 2, 10), ev('a', 3, 30)], [10, 10, 30]);
    // Out of order: an older record of a changes nothing; a tie keeps the earlier one.
    h.push([ev('a', 4, 20), ev('a', 5, 30)], [20, 30]);
    h.push([ev('b', 6, 15)], [15]);
    expect(h.emitted().rows).toEqual([
      { k: 'a', id: 3, ts: 30, rank: 1 },
      { k: 'b', id: 2, ts: 10, rank: 1 },
      { k: 'b', id: 6, ts: 15, rank: 1 },
    ]);
    expect(h.emitted().times).toEqual([30, 10, 15]);
  });

  it('keeps the first record per key by time with an ascending order', () => {
    const h = dedup('asc');
    h.push([ev('a', 1, 10), ev('a', 2, 5), ev('a', 3, 5)], [10, 5, 5]);
    h.push([ev('a', 4, 7)], [7]);
    expect(h.emitted().rows).toEqual([{ k: 'a', id: 2, ts: 5, rank: 1 }]);
    // The time of the change: the latest record that entered the top 1 in the batch.
    expect(h.emitted().times).toEqual([10]);
  });
});

describe('transform.topn: records and rows', () => {
  it('sends a record whose order value fails to the errors, without any effect', () => {
    const h = topn({ orderBy: [{ expr: '10 / id', direction: 'desc' }] });
    h.push([rec('a', 1, 5), rec('b', 1, 0), rec('a', 1, 0)], [0, 1, 2]);
    expect(h.errors.map((e) => e.row)).toEqual([rec('b', 1, 0), rec('a', 1, 0)]);
    expect(h.errors[0]!.reason).toMatch(/zero/i);
    expect(emitted(h)).toEqual([['a', 5, 1, 0]]);
    expect(h.operator.metrics?.()).toEqual({ partitions: 1, rows: 1 });
  });

  it('names the rank field as configured, stays in processing time, and never changes its input', () => {
    const h = topn({ rankField: 'place' }, { ...INPUT, time: 'processing' });
    expect(h.outputs[0]!.time).toBe('processing');
    const rows = [rec('a', 1, 1), rec('a', 2, 2)];
    const copy = structuredClone(rows);
    h.push(rows, [50, 10]);
    expect(h.emitted().rows).toEqual([
      { k: 'a', price: 2, id: 2, place: 1 },
      { k: 'a', price: 1, id: 1, place: 2 },
    ]);
    expect(h.emitted().times).toEqual([50, 50]);
    expect(rows).toEqual(copy);
    expect(h.emitted().rows.every((r) => !rows.includes(r))).toBe(true);
  });
});

describe('transform.topn: forgetting idle keys', () => {
  it('drops a key once the watermark is a retention past its last record, and starts it afresh', () => {
    const h = topn({ retention: '100ms', n: 2 });
    h.push([rec('a', 5, 1), rec('a', 4, 2), rec('b', 1, 3)], [0, 10, 50]);
    // A record that misses the top N still keeps its key alive.
    h.push([rec('a', 1, 4)], [40]);
    h.watermark(139);
    expect(h.operator.metrics?.()).toEqual({ partitions: 2, rows: 3 });
    // a's last record was at 40: gone at 140; b's at 50: gone at 150.
    h.watermark(140);
    expect(h.operator.metrics?.()).toEqual({ partitions: 1, rows: 1 });
    const before = h.emitted().rows.length;
    h.push([rec('a', 1, 5), rec('b', 2, 6)], [141, 142]);
    expect(emitted(h, before)).toEqual([
      ['a', 5, 1, 141],
      ['b', 6, 1, 142],
      ['b', 3, 2, 142],
    ]);
    h.watermark(END_OF_TIME);
    expect(h.operator.metrics?.()).toEqual({ partitions: 0, rows: 0 });
  });

  it('keeps keys without a retention however far the watermark goes', () => {
    const h = topn();
    h.push([rec('a', 1, 1)], [0]);
    h.watermark(END_OF_TIME);
    expect(h.operator.metrics?.()).toEqual({ partitions: 1, rows: 1 });
  });

  it('lets its state go when the input ends, having emitted every change already', () => {
    const h = topn();
    h.push([rec('a', 1, 1)], [0]);
    const emitted = h.emitted().rows.length;
    h.watermark(END_OF_TIME);
    h.finish();
    expect(h.emitted().rows).toHaveLength(emitted);
    expect(h.operator.metrics?.()).toEqual({ partitions: 0, rows: 0 });
    expect(h.state.size().keys).toBe(0);
  });
});
