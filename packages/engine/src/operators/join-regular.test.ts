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

function regularJoin(config: Record<string, unknown> = {}, inputs = [LEFT, RIGHT]) {
  return operatorHarness({
    kind: 'join.regular',
    config: {
      leftRetention: '1h',
      rightRetention: '1h',
      on: [{ left: 'id', right: 'id' }],
      ...config,
    },
    inputs,
  });
}

const L = 0;
const R = 1;
const HOUR = 3_600_000;

describe('join.regular', () => {
  it('emits a match as soon as its second record arrives, from either side, at the later time', () => {
    const h = regularJoin();
    h.push([{ id: 1, name: 'a' }], [10_000], L);
    expect(h.emitted().rows).toEqual([]);
    h.push([{ id: 1, amount: 2.5 }], [900_000], R);
    expect(h.emitted()).toEqual({ rows: [{ id: 1, name: 'a', amount: 2.5 }], times: [900_000] });
    // A left record older than the right one it meets: the right time is the later one.
    h.push([{ id: 1, name: 'b' }], [5_000], L);
    expect(h.emitted().rows.at(-1)).toEqual({ id: 1, name: 'b', amount: 2.5 });
    expect(h.emitted().times.at(-1)).toBe(900_000);
  });

  it('gives its records the fields in the order of the inferred output schema', () => {
    const h = regularJoin();
    h.push([{ name: 'a', id: 1 }], [0], L);
    h.push([{ amount: 1, id: 1 }], [0], R);
    const names = h.outputs[0]!.fields.map((f) => f.name);
    expect(names).toEqual(['id', 'name', 'amount']);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual(names);
    expect(h.outputs[0]!.time).toBe('event');
  });

  it('emits nothing for different keys', () => {
    const h = regularJoin();
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push([{ id: 2, amount: 1 }], [0], R);
    expect(h.emitted().rows).toEqual([]);
  });

  it("pairs a record with every kept record of its key, in the other side's time order", () => {
    const h = regularJoin();
    h.push(
      [
        { id: 1, name: 'c' },
        { id: 1, name: 'a' },
        { id: 2, name: 'x' },
        { id: 1, name: 'b' },
      ],
      [3_000, 1_000, 0, 2_000],
      L,
    );
    h.push(
      [
        { id: 1, amount: 1 },
        { id: 1, amount: 2 },
      ],
      [1_500, 2_500],
      R,
    );
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual([
      'a/1',
      'b/1',
      'c/1',
      'a/2',
      'b/2',
      'c/2',
    ]);
    expect(h.emitted().times).toEqual([1_500, 2_000, 3_000, 2_500, 2_500, 3_000]);
  });

  it('never matches a NULL key, on either side, and keeps no such record', () => {
    const h = regularJoin();
    h.push([{ id: null, name: 'a' }, { name: 'missing' }], [0, 0], L);
    h.push([{ id: null, amount: 1 }, { amount: 2 }], [0, 0], R);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toEqual([]);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
  });

  it('joins on several keys, a long key meeting an equal double key', () => {
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
    const h = regularJoin(
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

  it('keeps only the pairs whose where condition is TRUE, and sends bad data to the error output', () => {
    const h = regularJoin({ where: "amount > 10 AND name <> 'skip'" });
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
        { id: 1, amount: 'lots' },
      ],
      [0, 0, 0, 0],
      R,
    );
    expect(h.emitted().rows.map((r) => [r.name, r.amount])).toEqual([['a', 50]]);
    // 'lots' fails the condition with both left records.
    expect(h.errors.map((e) => e.row)).toEqual([
      { id: 1, name: 'a', amount: 'lots' },
      { id: 1, name: 'skip', amount: 'lots' },
    ]);
    expect(h.errors[0]!.reason).toMatch(/amount.*double/);
  });

  it('sends a record whose key has the wrong type to the error output, and keeps it not', () => {
    const h = regularJoin();
    h.push([{ id: 1, amount: 1 }], [0], R);
    h.push([{ id: 1.5, name: 'a' }], [0], L);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toEqual([
      { row: { id: 1.5, name: 'a' }, reason: expect.stringMatching(/id.*long/) },
    ]);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 1 });
  });

  it('puts right fields that clash with left ones under the right prefix', () => {
    const left = stream([
      ['id', 'long'],
      ['ts', 'timestamp'],
      ['name', 'string'],
    ]);
    const right = stream([
      ['person', 'long'],
      ['ts', 'timestamp'],
      ['name', 'string'],
    ]);
    const h = regularJoin({ on: [{ left: 'id', right: 'person' }], rightPrefix: 'p_' }, [
      left,
      right,
    ]);
    h.push([{ id: 7, ts: 1, name: 'l' }], [1], L);
    h.push([{ person: 7, ts: 2, name: 'r' }], [2], R);
    expect(h.emitted().rows).toEqual([
      { id: 7, ts: 1, name: 'l', person: 7, p_ts: 2, p_name: 'r' },
    ]);
    expect(() =>
      regularJoin({ on: [{ left: 'id', right: 'person' }], rightPrefix: 'p_' }, [
        stream([
          ['id', 'long'],
          ['name', 'string'],
          ['p_name', 'string'],
        ]),
        right,
      ]),
    ).toThrow(/clashes/);
  });

  it('drops a left record once the watermark reaches t + left retention, and then it no longer matches', () => {
    const h = regularJoin({ leftRetention: '10s', rightRetention: '1h' });
    h.push([{ id: 1, name: 'a' }], [1_000], L);
    h.watermark(10_999);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 0 });
    h.push([{ id: 1, amount: 1 }], [20_000], R);
    expect(h.emitted().rows).toHaveLength(1);
    h.watermark(11_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 1 });
    h.push([{ id: 1, amount: 2 }], [20_000], R);
    expect(h.emitted().rows).toHaveLength(1);
    // The right side keeps its records for an hour: a new left record still meets both.
    h.push([{ id: 1, name: 'b' }], [12_000], L);
    expect(
      h
        .emitted()
        .rows.slice(1)
        .map((r) => `${r.name}/${r.amount}`),
    ).toEqual(['b/1', 'b/2']);
  });

  it('drops a right record once the watermark reaches t + right retention, and then it no longer matches', () => {
    const h = regularJoin({ leftRetention: '1h', rightRetention: '5s' });
    h.push([{ id: 1, amount: 1 }], [0], R);
    h.watermark(4_999);
    h.push([{ id: 1, name: 'a' }], [5_000], L);
    expect(h.emitted().rows).toEqual([{ id: 1, name: 'a', amount: 1 }]);
    h.watermark(5_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 0 });
    h.push([{ id: 1, name: 'b' }], [6_000], L);
    expect(h.emitted().rows).toHaveLength(1);
    expect(h.state.size().keys).toBe(1);
  });

  it('with 0s keeps no record of that side: it only looks up the other side', () => {
    const h = regularJoin({ leftRetention: '1h', rightRetention: '0s' });
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push([{ id: 1, amount: 1 }], [3_000], R);
    expect(h.emitted().rows).toEqual([{ id: 1, name: 'a', amount: 1 }]);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 0 });
    // A later left record does not meet the right record, though it was ahead of the watermark.
    h.push([{ id: 1, name: 'b' }], [2_000], L);
    expect(h.emitted().rows).toHaveLength(1);
    h.push([{ id: 1, amount: 2 }], [4_000], R);
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual(['a/1', 'a/2', 'b/2']);
    expect(h.state.size().keys).toBe(1);
  });

  it('has no lateness: a record behind the watermark still joins and is kept while its retention lasts', () => {
    const h = regularJoin({ leftRetention: '10s', rightRetention: '10s' });
    h.push([{ id: 1, amount: 1 }], [50_000], R);
    h.watermark(40_000);
    h.push([{ id: 1, name: 'late' }], [35_000], L);
    expect(h.late).toEqual([]);
    expect(h.emitted()).toEqual({
      rows: [{ id: 1, name: 'late', amount: 1 }],
      times: [50_000],
    });
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 1 });
    h.push([{ id: 1, amount: 2 }], [41_000], R);
    expect(h.emitted().rows.at(-1)).toEqual({ id: 1, name: 'late', amount: 2 });
    // Retention over on arrival: it probes and is not kept.
    h.push([{ id: 1, name: 'too late' }], [30_000], L);
    expect(
      h
        .emitted()
        .rows.slice(2)
        .map((r) => r.amount),
    ).toEqual([2, 1]);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 2 });
    h.watermark(45_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 2 });
  });

  it('drops expired records of a key whose records arrived out of time order', () => {
    const h = regularJoin({ leftRetention: '1ms', rightRetention: '1ms' });
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
    h.push([{ id: 1, amount: 1 }], [2_000], R);
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual(['b/1', 'c/1']);
    h.watermark(3_000);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 0 });
    h.watermark(3_001);
    expect(h.state.size().keys).toBe(0);
  });

  it('holds back from its earliest kept record, so a source commits no record still kept', () => {
    const h = regularJoin({ leftRetention: '1h', rightRetention: '10s' });
    expect(h.operator.heldSince!()).toBe(Number.POSITIVE_INFINITY);
    h.push([{ id: 1, name: 'a' }], [HOUR], L);
    h.push([{ id: 2, name: 'b' }], [2 * HOUR], L);
    h.push([{ id: 3, amount: 1 }], [30 * 60_000], R);
    expect(h.operator.heldSince!()).toBe(30 * 60_000);
    h.watermark(30 * 60_000 + 10_000);
    expect(h.operator.heldSince!()).toBe(HOUR);
    h.watermark(2 * HOUR);
    expect(h.operator.heldSince!()).toBe(2 * HOUR);
    h.watermark(3 * HOUR);
    expect(h.operator.heldSince!()).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps its state flat over a long stream whose keys and times advance', () => {
    const h = regularJoin({ leftRetention: '1s', rightRetention: '2s' });
    let mostKeys = 0;
    let mostKept = 0;
    for (let t = 0; t < 500_000; t += 100) {
      const id = Math.floor(t / 1_000);
      h.push([{ id, name: 'x' }], [t], L);
      h.push([{ id, amount: 1 }], [t + 50], R);
      h.watermark(t - 500);
      mostKeys = Math.max(mostKeys, h.state.size().keys);
      const m = h.operator.metrics!();
      mostKept = Math.max(mostKept, m.bufferedLeft! + m.bufferedRight!);
    }
    expect(mostKeys).toBeLessThanOrEqual(8);
    expect(mostKept).toBeLessThanOrEqual(50);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.state.size().keys).toBe(0);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
  });

  it('forgets everything when the input ends', () => {
    const h = regularJoin();
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push([{ id: 2, amount: 1 }], [0], R);
    h.finish();
    expect(h.state.size().keys).toBe(0);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0 });
    expect(h.operator.heldSince!()).toBe(Number.POSITIVE_INFINITY);
  });
});
