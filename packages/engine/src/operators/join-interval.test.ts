import { describe, expect, it } from 'vitest';
import { operatorHarness, stream } from '../testing/harness.js';

const LEFT = stream([
  ['id', 'long'],
  ['name', 'string'],
]);
const RIGHT = stream([
  ['id', 'long'],
  ['amount', 'double'],
]);

function intervalJoin(config: Record<string, unknown> = {}, inputs = [LEFT, RIGHT]) {
  return operatorHarness({
    kind: 'join.interval',
    config: { lower: '-5s', upper: '5s', on: [{ left: 'id', right: 'id' }], ...config },
    inputs,
  });
}

const L = 0;
const R = 1;

describe('join.interval', () => {
  it('emits a match as soon as its second record arrives, at the later of the two times', () => {
    const h = intervalJoin();
    h.push([{ id: 1, name: 'a' }], [10_000], L);
    expect(h.emitted().rows).toEqual([]);
    h.push([{ id: 1, amount: 2.5 }], [12_000], R);
    expect(h.emitted()).toEqual({ rows: [{ id: 1, name: 'a', amount: 2.5 }], times: [12_000] });
    h.push([{ id: 1, name: 'b' }], [13_000], L);
    expect(h.emitted().rows.at(-1)).toEqual({ id: 1, name: 'b', amount: 2.5 });
    expect(h.emitted().times.at(-1)).toBe(13_000);
  });

  it('gives its records the fields in the order of the inferred output schema', () => {
    const h = intervalJoin();
    h.push([{ name: 'a', id: 1 }], [0], L);
    h.push([{ amount: 1, id: 1 }], [0], R);
    const names = h.outputs[0]!.fields.map((f) => f.name);
    expect(names).toEqual(['id', 'name', 'amount']);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual(names);
  });

  it('emits nothing for different keys or for times outside the interval', () => {
    const h = intervalJoin();
    h.push([{ id: 1, name: 'a' }], [10_000], L);
    h.push(
      [
        { id: 2, amount: 1 },
        { id: 1, amount: 2 },
        { id: 1, amount: 3 },
      ],
      [10_000, 4_999, 15_001],
      R,
    );
    expect(h.emitted().rows).toEqual([]);
  });

  it('includes both bounds of the interval', () => {
    const h = intervalJoin();
    h.push([{ id: 1, name: 'a' }], [10_000], L);
    h.push(
      [4_999, 5_000, 15_000, 15_001].map((t) => ({ id: 1, amount: t })),
      [4_999, 5_000, 15_000, 15_001],
      R,
    );
    expect(h.emitted().rows.map((r) => r.amount)).toEqual([5_000, 15_000]);
    // The same from the other side: the left record arrives last.
    const g = intervalJoin();
    g.push(
      [4_999, 5_000, 15_000, 15_001].map((t) => ({ id: 1, amount: t })),
      [4_999, 5_000, 15_000, 15_001],
      R,
    );
    g.push([{ id: 1, name: 'a' }], [10_000], L);
    expect(g.emitted().rows.map((r) => r.amount)).toEqual([5_000, 15_000]);
  });

  it('takes negative bounds: the right record must come from 10s to 5s before the left one', () => {
    const times = [-1, 0, 2_000, 5_000, 5_001];
    const rights = times.map((t) => ({ id: 1, amount: t }));
    const leftFirst = intervalJoin({ lower: '-10s', upper: '-5s' });
    leftFirst.push([{ id: 1, name: 'a' }], [10_000], L);
    leftFirst.push(rights, times, R);
    expect(leftFirst.emitted().rows.map((r) => r.amount)).toEqual([0, 2_000, 5_000]);
    const rightFirst = intervalJoin({ lower: '-10s', upper: '-5s' });
    rightFirst.push(rights, times, R);
    rightFirst.push([{ id: 1, name: 'a' }], [10_000], L);
    expect(rightFirst.emitted().rows.map((r) => r.amount)).toEqual([0, 2_000, 5_000]);
    expect(rightFirst.emitted().times).toEqual([10_000, 10_000, 10_000]);
  });

  it('does not buffer a record that can no longer meet an on-time record', () => {
    const h = intervalJoin({ lower: '-10s', upper: '-5s' });
    h.watermark(6_000);
    // 10 000 − 5 000 ≤ 6 000: every right record still to come is too new for it.
    h.push([{ id: 1, name: 'a' }], [10_000], L);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
  });

  it('never matches a NULL key, on either side', () => {
    const h = intervalJoin();
    h.push([{ id: null, name: 'a' }, { name: 'missing' }], [0, 0], L);
    h.push([{ id: null, amount: 1 }, { amount: 2 }], [0, 0], R);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toEqual([]);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
  });

  it('matches a long key with an equal double key, 0 with −0 included', () => {
    const h = intervalJoin({}, [
      LEFT,
      stream([
        ['id', 'double'],
        ['amount', 'double'],
      ]),
    ]);
    h.push(
      [
        { id: 1, name: 'one' },
        { id: 0, name: 'zero' },
      ],
      [0, 0],
      L,
    );
    h.push(
      [
        { id: 1.0, amount: 1 },
        { id: -0, amount: 2 },
        { id: 1.5, amount: 3 },
      ],
      [0, 0, 0],
      R,
    );
    expect(h.emitted().rows.map((r) => [r.name, r.amount])).toEqual([
      ['one', 1],
      ['zero', 2],
    ]);
  });

  it('joins on several keys, all of which must be equal', () => {
    const left = stream([
      ['a', 'string'],
      ['b', 'long'],
      ['n', 'long'],
    ]);
    const right = stream([
      ['x', 'string'],
      ['y', 'double'],
      ['m', 'long'],
    ]);
    const h = intervalJoin(
      {
        on: [
          { left: 'a', right: 'x' },
          { left: 'b', right: 'y' },
        ],
      },
      [left, right],
    );
    h.push(
      [
        { a: 'k', b: 1, n: 1 },
        { a: 'k', b: null, n: 2 },
      ],
      [0, 0],
      L,
    );
    h.push(
      [
        { x: 'k', y: 1.0, m: 1 },
        { x: 'k', y: 2, m: 2 },
        { x: 'j', y: 1, m: 3 },
        { x: 'k', y: null, m: 4 },
      ],
      [0, 0, 0, 0],
      R,
    );
    expect(h.emitted().rows.map((r) => [r.n, r.m])).toEqual([[1, 1]]);
  });

  it('keeps only the pairs whose where condition is TRUE', () => {
    const h = intervalJoin({ where: "amount > 10 AND name <> 'skip'" });
    h.push(
      [
        { id: 1, name: 'a' },
        { id: 1, name: 'skip' },
      ],
      [0, 0],
      L,
    );
    h.push(
      [
        { id: 1, amount: 5 },
        { id: 1, amount: 50 },
        { id: 1, amount: null },
      ],
      [0, 0, 0],
      R,
    );
    expect(h.emitted().rows.map((r) => [r.name, r.amount])).toEqual([['a', 50]]);
  });

  it('sends a pair whose where fails on bad data to the error output, and that pair does not match', () => {
    const h = intervalJoin({ where: 'amount > 10' });
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push(
      [
        { id: 1, amount: 'lots' },
        { id: 1, amount: 20 },
      ],
      [0, 0],
      R,
    );
    expect(h.emitted().rows.map((r) => r.amount)).toEqual([20]);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]!.reason).toMatch(/amount.*double/);
    expect(h.errors[0]!.row).toMatchObject({ id: 1, name: 'a', amount: 'lots' });
  });

  it('sends a record whose key has the wrong type to the error output', () => {
    const h = intervalJoin();
    h.push([{ id: 1, amount: 1 }], [0], R);
    h.push([{ id: 1.5, name: 'a' }], [0], L);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toEqual([
      { row: { id: 1.5, name: 'a' }, reason: expect.stringMatching(/id.*long/) },
    ]);
  });

  it('counts records at or behind the watermark as late on both sides, even when a match is buffered', () => {
    const h = intervalJoin();
    h.push([{ id: 1, name: 'a' }], [3_000], L);
    h.watermark(1_000);
    h.push(
      [
        { id: 1, name: 'late' },
        { id: 1, name: 'b' },
      ],
      [1_000, 1_001],
      L,
    );
    h.push(
      [
        { id: 1, amount: 999 },
        { id: 1, amount: 1_001 },
      ],
      [999, 1_001],
      R,
    );
    expect(h.late).toEqual([
      { id: 1, name: 'late' },
      { id: 1, amount: 999 },
    ]);
    // Buffered matches come in their time order.
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual(['b/1001', 'a/1001']);
  });

  it('keeps a left record until W ≥ tl + upper and a right record until W ≥ tr − lower', () => {
    const h = intervalJoin({ lower: '-2s', upper: '3s' });
    h.push([{ id: 1, name: 'a' }], [10_000], L);
    h.push([{ id: 2, amount: 1 }], [10_000], R);
    h.watermark(11_999);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 1 });
    h.watermark(12_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 0 });
    h.watermark(12_999);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 0 });
    // Still there for an on-time right record at the upper bound.
    h.push([{ id: 1, amount: 2 }], [13_000], R);
    expect(h.emitted().rows).toEqual([{ id: 1, name: 'a', amount: 2 }]);
    h.watermark(13_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 1 });
    expect(h.state.size().keys).toBe(1);
    h.watermark(15_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
    expect(h.state.size().keys).toBe(0);
  });

  it('holds back from its earliest buffered record, so a source commits no record still buffered', () => {
    const h = intervalJoin({ lower: '-2s', upper: '3s' });
    expect(h.operator.heldSince!()).toBe(Number.POSITIVE_INFINITY);
    h.push([{ id: 1, name: 'a' }], [20_000], L);
    h.push([{ id: 2, amount: 1 }], [10_000], R);
    expect(h.operator.heldSince!()).toBe(10_000);
    // The right record goes at W ≥ tr + 2s; the left one at W ≥ tl + 3s.
    h.watermark(12_000);
    expect(h.operator.heldSince!()).toBe(20_000);
    h.watermark(23_000);
    expect(h.operator.heldSince!()).toBe(Number.POSITIVE_INFINITY);
  });

  it('drops expired records of a key whose records arrived out of time order', () => {
    const h = intervalJoin({ lower: '0s', upper: '0s' });
    h.push(
      [
        { id: 1, name: 'c' },
        { id: 1, name: 'a' },
        { id: 1, name: 'b' },
      ],
      [3_000, 1_000, 2_000],
      L,
    );
    h.watermark(1_500);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 2, bufferedRight: 0 });
    h.push(
      [
        { id: 1, amount: 1 },
        { id: 1, amount: 2 },
      ],
      [2_000, 3_000],
      R,
    );
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual(['b/1', 'c/2']);
    h.watermark(3_000);
    expect(h.state.size().keys).toBe(0);
  });

  it('keeps its state flat over a long stream whose keys and times advance', () => {
    const h = intervalJoin({ lower: '-1s', upper: '1s' });
    let most = 0;
    let mostBuffered = 0;
    for (let t = 0; t < 500_000; t += 100) {
      const id = Math.floor(t / 1_000);
      h.push([{ id, name: 'x' }], [t], L);
      h.push([{ id, amount: 1 }], [t + 50], R);
      h.watermark(t - 500);
      most = Math.max(most, h.state.size().keys);
      const m = h.operator.metrics!();
      mostBuffered = Math.max(mostBuffered, m.bufferedLeft! + m.bufferedRight!);
    }
    expect(most).toBeLessThanOrEqual(8);
    expect(mostBuffered).toBeLessThanOrEqual(60);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.state.size().keys).toBe(0);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
  });

  it('forgets everything when the input ends', () => {
    const h = intervalJoin();
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push([{ id: 2, amount: 1 }], [0], R);
    h.finish();
    expect(h.state.size().keys).toBe(0);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
  });
});
