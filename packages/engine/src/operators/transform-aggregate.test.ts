import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { END_OF_TIME } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['user', 'string'],
  ['amount', 'long'],
  ['id', 'long'],
]);

function running(config: Record<string, unknown> = {}, input = INPUT) {
  return operatorHarness({
    kind: 'transform.aggregate',
    config: {
      groupBy: ['user'],
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'total', fn: 'sum', expr: 'amount' },
        { name: 'mean', fn: 'avg', expr: 'amount' },
      ],
      ...config,
    },
    inputs: [input],
  });
}

const rec = (user: string | null, amount: number | null = 1, id: number | null = 0): Row => ({
  user,
  amount,
  id,
});

/** Emitted rows as compact tuples: user, n, total, mean, and the row's event time. */
function emitted(h: ReturnType<typeof running>) {
  const { rows, times } = h.emitted();
  return rows.map((r, i) => [r.user, r.n, r.total, r.mean, times[i]]);
}

describe('transform.aggregate: running results', () => {
  it('emits one row per key a batch changed, in order of first change, at its latest time', () => {
    const h = running();
    h.push([rec('b', 2), rec('a', 3), rec('b', 4), rec('a', 1)], [10, 30, 5, 20]);
    expect(emitted(h)).toEqual([
      ['b', 2, 6, 3, 10],
      ['a', 2, 4, 2, 30],
    ]);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual(h.outputs[0]!.fields.map((f) => f.name));
    expect(h.outputs[0]!.time).toBe('event');
    h.push([rec('a', 5)], [40]);
    expect(emitted(h).slice(2)).toEqual([['a', 3, 9, 3, 40]]);
    // Nothing waits for a watermark or the end.
    h.watermark(END_OF_TIME);
    h.finish();
    expect(emitted(h)).toHaveLength(3);
  });

  it('keeps every key apart, and aggregates everything into one row without a group-by', () => {
    const h = running({ groupBy: [] });
    h.push([rec('a', 1), rec('b', 2)], [0, 1]);
    h.push([rec('c', 3)], [2]);
    expect(h.emitted().rows).toEqual([
      { n: 2, total: 3, mean: 1.5 },
      { n: 3, total: 6, mean: 2 },
    ]);
    const grouped = running({ groupBy: ['user', 'id'] });
    grouped.push([rec('a', 1, 1), rec('a', 2, 2), rec('a', 3, 1)], [0, 1, 2]);
    expect(grouped.emitted().rows.map((r) => [r.user, r.id, r.n, r.total])).toEqual([
      ['a', 1, 2, 4],
      ['a', 2, 1, 2],
    ]);
    expect(grouped.operator.metrics?.()).toEqual({ groups: 2 });
  });

  it('treats NULL as window.aggregate does: its own key, and a value aggregates ignore', () => {
    const h = running({
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'values', fn: 'count', expr: 'amount' },
        { name: 'total', fn: 'sum', expr: 'amount' },
        { name: 'mean', fn: 'avg', expr: 'amount' },
        { name: 'low', fn: 'min', expr: 'amount' },
        { name: 'last', fn: 'last', expr: 'amount' },
      ],
    });
    h.push([rec(null, null), rec('a', null)], [0, 1]);
    h.push([rec(null, 4), rec(null, null)], [2, 1]);
    expect(h.emitted().rows).toEqual([
      { user: null, n: 1, values: 0, total: null, mean: null, low: null, last: null },
      { user: 'a', n: 1, values: 0, total: null, mean: null, low: null, last: null },
      // last is by event time: the NULL at 1 is earlier than the 4 at 2.
      { user: null, n: 3, values: 1, total: 4, mean: 4, low: 4, last: 4 },
    ]);
  });

  it('sends a record whose aggregate input fails to the errors, without any effect', () => {
    const h = running({
      updateKey: ['id'],
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'total', fn: 'sum', expr: '10 / amount' },
      ],
    });
    h.push([rec('a', 5, 1)], [0]);
    h.push([rec('b', 0, 1), rec('a', 0, 2)], [1, 2]);
    expect(h.errors.map((e) => e.row)).toEqual([rec('b', 0, 1), rec('a', 0, 2)]);
    expect(h.errors[0]!.reason).toMatch(/zero/i);
    // Id 1 still counts in a, the failed record replaced nothing, and no key changed.
    h.push([rec('a', 10, 3)], [3]);
    expect(h.emitted().rows).toEqual([
      { user: 'a', n: 1, total: 2 },
      { user: 'a', n: 2, total: 3 },
    ]);
    expect(h.operator.metrics?.()).toEqual({ groups: 1, updateKeys: 2 });
  });

  it('takes first/last in arrival order on a processing-time input, and stays in processing time', () => {
    const h = running(
      { aggregates: [{ name: 'latest', fn: 'last', expr: 'amount' }] },
      stream(
        [
          ['user', 'string'],
          ['amount', 'long'],
        ],
        'processing',
      ),
    );
    expect(h.outputs[0]!.time).toBe('processing');
    h.push([rec('a', 1), rec('a', 2)], [50, 10]);
    expect(h.emitted().rows).toEqual([{ user: 'a', latest: 2 }]);
    expect(h.emitted().times).toEqual([50]);
  });
});

describe('transform.aggregate: input updates keyed by updateKey', () => {
  it('replaces the earlier record with the same update key, within one key and across keys', () => {
    const h = running({ updateKey: ['id'] });
    h.push([rec('a', 10, 1), rec('a', 20, 2)], [0, 1]);
    expect(emitted(h)).toEqual([['a', 2, 30, 15, 1]]);
    // Id 1 again in a: its 10 becomes 40.
    h.push([rec('a', 40, 1)], [2]);
    expect(emitted(h).slice(1)).toEqual([['a', 2, 60, 30, 2]]);
    // Id 2 moves to b: both keys change, in order of first change, at the record's time.
    h.push([rec('b', 5, 2)], [3]);
    expect(emitted(h).slice(2)).toEqual([
      ['a', 1, 40, 40, 3],
      ['b', 1, 5, 5, 3],
    ]);
    expect(h.operator.metrics?.()).toEqual({ groups: 2, updateKeys: 2 });
  });

  it('drops a key whose records all moved away, without a row, and starts it afresh', () => {
    const h = running({ updateKey: ['id'] });
    h.push([rec('a', 10, 1)], [0]);
    h.push([rec('b', 7, 1)], [1]);
    expect(emitted(h)).toEqual([
      ['a', 1, 10, 10, 0],
      ['b', 1, 7, 7, 1],
    ]);
    expect(h.operator.metrics?.()).toEqual({ groups: 1, updateKeys: 1 });
    // Within one batch: a is created, emptied and created again; b is emptied.
    h.push([rec('a', 1, 2), rec('c', 1, 2), rec('a', 3, 1)], [2, 3, 4]);
    expect(emitted(h).slice(2)).toEqual([
      ['c', 1, 1, 1, 3],
      ['a', 1, 3, 3, 4],
    ]);
    expect(h.operator.metrics?.()).toEqual({ groups: 2, updateKeys: 2 });
  });

  it('keeps a key whose only record is replaced by one for the same key', () => {
    const h = running({ updateKey: ['id'] });
    h.push([rec('a', 1, 1)], [0]);
    h.push([rec('a', 2, 1)], [1]);
    h.push([rec('a', 3, 2)], [2]);
    expect(emitted(h)).toEqual([
      ['a', 1, 1, 1, 0],
      ['a', 1, 2, 2, 1],
      ['a', 2, 5, 2.5, 2],
    ]);
    expect(h.operator.metrics?.()).toEqual({ groups: 1, updateKeys: 2 });
  });

  it('takes back only what the replaced record added: NULLs and filtered-out records', () => {
    const h = running({
      updateKey: ['id'],
      aggregates: [
        { name: 'n', fn: 'count' },
        { name: 'values', fn: 'count', expr: 'amount' },
        { name: 'big', fn: 'sum', expr: 'amount', where: 'amount > 5' },
        { name: 'mean', fn: 'avg', expr: 'amount' },
      ],
    });
    h.push([rec('a', null, 1), rec('a', 3, 2), rec('a', 8, 3)], [0, 1, 2]);
    h.push([rec('a', 9, 1), rec('a', 1, 3)], [3, 4]);
    h.push([rec('a', null, 2)], [5]);
    expect(h.emitted().rows).toEqual([
      { user: 'a', n: 3, values: 2, big: 8, mean: 5.5 },
      { user: 'a', n: 3, values: 3, big: 9, mean: 13 / 3 },
      { user: 'a', n: 3, values: 2, big: 9, mean: 5 },
    ]);
  });

  it('keys updates by several fields, NULL included', () => {
    const h = running({ groupBy: [], updateKey: ['user', 'id'] });
    h.push([rec('a', 1, 1), rec(null, 2, 1), rec('a', 3, 2)], [0, 1, 2]);
    h.push([rec(null, 10, 1), rec('a', 20, 1)], [3, 4]);
    expect(h.emitted().rows.map((r) => r.total)).toEqual([6, 33]);
  });
});

describe('transform.aggregate: forgetting idle keys', () => {
  it('drops a key once the watermark is a retention past its last record, and starts it afresh', () => {
    const h = running({ retention: '100ms' });
    h.push([rec('a', 1), rec('b', 2)], [0, 50]);
    h.push([rec('a', 3)], [40]);
    h.watermark(139);
    expect(h.operator.metrics?.()).toEqual({ groups: 2 });
    // a's last record was at 40: gone at 140; b's at 50: gone at 150.
    h.watermark(140);
    expect(h.operator.metrics?.()).toEqual({ groups: 1 });
    h.push([rec('a', 5), rec('b', 1)], [141, 142]);
    expect(emitted(h).slice(-2)).toEqual([
      ['a', 1, 5, 5, 141],
      ['b', 2, 3, 1.5, 142],
    ]);
    h.watermark(241);
    expect(h.operator.metrics?.()).toEqual({ groups: 1 });
    h.watermark(END_OF_TIME);
    expect(h.operator.metrics?.()).toEqual({ groups: 0 });
  });

  it('forgets update keys too: a record after that adds instead of replacing', () => {
    const h = running({ retention: '100ms', groupBy: [], updateKey: ['id'] });
    h.push([rec('a', 1, 1), rec('a', 2, 2)], [0, 80]);
    h.watermark(100);
    expect(h.operator.metrics?.()).toEqual({ groups: 1, updateKeys: 1 });
    h.push([rec('a', 10, 1), rec('a', 20, 2)], [101, 102]);
    // Id 1 was forgotten: its 1 stays and 10 adds; id 2 is still known: 20 replaces 2.
    expect(h.emitted().rows.at(-1)).toEqual({ n: 3, total: 31, mean: 31 / 3 });
  });

  it('never takes back from a key forgotten and started again', () => {
    const h = running({ retention: '100ms', updateKey: ['id'] });
    // Id 1 last went to b at 50, out of order: b is idle from 50, id 1 from 100.
    h.push([rec('a', 1, 1)], [100]);
    h.push([rec('b', 2, 1)], [50]);
    h.watermark(150);
    expect(h.operator.metrics?.()).toEqual({ groups: 0, updateKeys: 1 });
    h.push([rec('b', 5, 2)], [160]);
    // The new b never held id 1's 2: nothing to take back.
    h.push([rec('b', 7, 1)], [170]);
    expect(emitted(h).slice(-2)).toEqual([
      ['b', 1, 5, 5, 160],
      ['b', 2, 12, 6, 170],
    ]);
  });

  it('keeps keys without a retention however far the watermark goes', () => {
    const h = running();
    h.push([rec('a')], [0]);
    h.watermark(END_OF_TIME);
    expect(h.operator.metrics?.()).toEqual({ groups: 1 });
  });

  it('lets its state go when the input ends, having emitted every change already', () => {
    const h = running();
    h.push([rec('a')], [0]);
    const emitted = h.emitted().rows.length;
    h.watermark(END_OF_TIME);
    h.finish();
    expect(h.emitted().rows).toHaveLength(emitted);
    expect(h.operator.metrics?.()).toEqual({ groups: 0 });
    expect(h.state.size().keys).toBe(0);
  });
});
