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

function windowJoin(config: Record<string, unknown> = {}, inputs = [LEFT, RIGHT]) {
  return operatorHarness({
    kind: 'join.window',
    config: {
      window: { type: 'tumbling', size: '10s' },
      on: [{ left: 'id', right: 'id' }],
      ...config,
    },
    inputs,
  });
}

const L = 0;
const R = 1;

describe('join.window', () => {
  it('emits a matching pair with the window bounds at window_end − 1 when the watermark completes the window', () => {
    const h = windowJoin();
    h.push([{ id: 1, name: 'a' }], [1_000], L);
    h.push([{ id: 1, amount: 2.5 }], [1_500], R);
    h.watermark(9_998);
    expect(h.emitted().rows).toEqual([]);
    h.watermark(9_999);
    expect(h.emitted()).toEqual({
      rows: [{ window_start: 0, window_end: 10_000, id: 1, name: 'a', amount: 2.5 }],
      times: [9_999],
    });
  });

  it('gives its records the fields in the order of the inferred output schema', () => {
    const h = windowJoin();
    h.push([{ name: 'a', id: 1 }], [0], L);
    h.push([{ amount: 1, id: 1 }], [0], R);
    h.watermark(20_000);
    const names = h.outputs[0]!.fields.map((f) => f.name);
    expect(names).toEqual(['window_start', 'window_end', 'id', 'name', 'amount']);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual(names);
  });

  it('emits nothing for different keys or for records in different windows', () => {
    const h = windowJoin();
    h.push([{ id: 1, name: 'a' }], [9_999], L);
    h.push([{ id: 2, amount: 1 }], [9_999], R);
    h.push([{ id: 1, amount: 1 }], [10_000], R);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows).toEqual([]);
  });

  it('puts a record at end − 1 in the window and a record at end in the next one', () => {
    const h = windowJoin();
    h.push(
      [
        { id: 1, name: 'first' },
        { id: 1, name: 'second' },
      ],
      [9_999, 10_000],
      L,
    );
    h.push(
      [
        { id: 1, amount: 1 },
        { id: 1, amount: 2 },
      ],
      [0, 19_999],
      R,
    );
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => [r.window_start, r.name, r.amount])).toEqual([
      [0, 'first', 1],
      [10_000, 'second', 2],
    ]);
    expect(h.emitted().times).toEqual([9_999, 19_999]);
  });

  it('aligns windows to the epoch for negative times too', () => {
    const h = windowJoin();
    h.push([{ id: 1, name: 'a' }], [-1], L);
    h.push([{ id: 1, amount: 1 }], [-10_000], R);
    h.watermark(-1);
    expect(h.emitted().rows).toMatchObject([{ window_start: -10_000, window_end: 0 }]);
    expect(h.emitted().times).toEqual([-1]);
  });

  it('never matches a NULL key, on either side', () => {
    const h = windowJoin();
    h.push([{ id: null, name: 'a' }, { name: 'missing' }], [0, 0], L);
    h.push([{ id: null, amount: 1 }, { amount: 2 }], [0, 0], R);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it('matches a long key with an equal double key, 0 with −0 included', () => {
    const h = windowJoin({}, [
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
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => [r.name, r.amount])).toEqual([
      ['one', 1],
      ['zero', 2],
    ]);
  });

  it('joins on several keys, all of which must be equal', () => {
    const left = stream([
      ['a', 'string'],
      ['b', 'string'],
      ['n', 'long'],
    ]);
    const right = stream([
      ['x', 'string'],
      ['y', 'string'],
      ['m', 'long'],
    ]);
    const h = windowJoin(
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
        { a: 'ab', b: 'c', n: 1 },
        { a: 'a', b: null, n: 2 },
      ],
      [0, 0],
      L,
    );
    // ('a', 'bc') must not meet ('ab', 'c'), however the parts are glued together.
    h.push(
      [
        { x: 'a', y: 'bc', m: 1 },
        { x: 'ab', y: 'c', m: 2 },
        { x: 'a', y: null, m: 3 },
      ],
      [0, 0, 0],
      R,
    );
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => [r.n, r.m])).toEqual([[1, 2]]);
  });

  it('keeps only the pairs whose where condition is TRUE', () => {
    const h = windowJoin({ where: "amount > 10 AND name <> 'skip'" });
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
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => [r.name, r.amount])).toEqual([['a', 50]]);
  });

  it('lets where read the window bounds', () => {
    const h = windowJoin({ where: "window_start > TIMESTAMP '1970-01-01 00:00:00'" });
    h.push(
      [
        { id: 1, name: 'a' },
        { id: 1, name: 'b' },
      ],
      [0, 10_000],
      L,
    );
    h.push(
      [
        { id: 1, amount: 1 },
        { id: 1, amount: 2 },
      ],
      [0, 10_000],
      R,
    );
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => r.name)).toEqual(['b']);
  });

  it('sends a pair whose where fails on bad data to the error output, and that pair does not match', () => {
    const h = windowJoin({ where: 'amount > 10' });
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push(
      [
        { id: 1, amount: 'lots' },
        { id: 1, amount: 20 },
      ],
      [0, 0],
      R,
    );
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => r.amount)).toEqual([20]);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]!.reason).toMatch(/amount.*double/);
    expect(h.errors[0]!.row).toMatchObject({ id: 1, name: 'a', amount: 'lots' });
  });

  it('sends a record whose key has the wrong type to the error output', () => {
    const h = windowJoin();
    h.push([{ id: '1', name: 'a' }], [0], L);
    h.push([{ id: 1, amount: 1 }], [0], R);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toEqual([
      { row: { id: '1', name: 'a' }, reason: expect.stringMatching(/id.*long/) },
    ]);
  });

  it('in a left join, emits a left record without a passing match once, with NULL right fields', () => {
    const h = windowJoin({ type: 'left', where: 'amount > 10' });
    h.push(
      [
        { id: 1, name: 'matched' },
        { id: 2, name: 'no right' },
        { id: 3, name: 'where fails' },
        { id: null, name: 'null key' },
      ],
      [0, 0, 0, 0],
      L,
    );
    h.push(
      [
        { id: 1, amount: 20 },
        { id: 1, amount: 30 },
        { id: 3, amount: 1 },
        { id: 3, amount: 2 },
      ],
      [0, 0, 0, 0],
      R,
    );
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows).toEqual([
      { window_start: 0, window_end: 10_000, id: 1, name: 'matched', amount: 20 },
      { window_start: 0, window_end: 10_000, id: 1, name: 'matched', amount: 30 },
      { window_start: 0, window_end: 10_000, id: 2, name: 'no right', amount: null },
      { window_start: 0, window_end: 10_000, id: 3, name: 'where fails', amount: null },
      { window_start: 0, window_end: 10_000, id: null, name: 'null key', amount: null },
    ]);
  });

  it('renames a clashing right field with the right prefix', () => {
    const h = windowJoin({ rightPrefix: 'r_' }, [
      LEFT,
      stream([
        ['id', 'long'],
        ['name', 'string'],
      ]),
    ]);
    h.push([{ id: 1, name: 'left' }], [0], L);
    h.push([{ id: 1, name: 'right' }], [0], R);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows).toEqual([
      { window_start: 0, window_end: 10_000, id: 1, name: 'left', r_name: 'right' },
    ]);
  });

  it('emits in window order, then left arrival order, then right arrival order', () => {
    const h = windowJoin();
    h.push([{ id: 2, name: 'w1-a' }], [15_000], L);
    h.push(
      [
        { id: 2, name: 'w0-a' },
        { id: 1, name: 'w0-b' },
        { id: 2, name: 'w0-c' },
      ],
      [5_000, 1_000, 9_000],
      L,
    );
    h.push(
      [
        { id: 2, amount: 1 },
        { id: 1, amount: 2 },
        { id: 2, amount: 3 },
        { id: 2, amount: 4 },
      ],
      [8_000, 0, 2_000, 12_000],
      R,
    );
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual([
      'w0-a/1',
      'w0-a/3',
      'w0-b/2',
      'w0-c/1',
      'w0-c/3',
      'w1-a/4',
    ]);
  });

  it('counts a record of either side whose window has fired as late, and keeps records of open windows', () => {
    const h = windowJoin();
    h.watermark(9_999);
    h.push(
      [
        { id: 1, name: 'late' },
        { id: 1, name: 'on time' },
      ],
      [5_000, 10_000],
      L,
    );
    h.push(
      [
        { id: 1, amount: 1 },
        { id: 1, amount: 2 },
      ],
      [9_999, 10_001],
      R,
    );
    // Behind the watermark but in a window that has not fired: not late.
    h.watermark(12_000);
    h.push([{ id: 1, amount: 3 }], [11_000], R);
    expect(h.late).toEqual([
      { id: 1, name: 'late' },
      { id: 1, amount: 1 },
    ]);
    h.watermark(19_999);
    expect(h.emitted().rows.map((r) => `${r.name}/${r.amount}`)).toEqual([
      'on time/2',
      'on time/3',
    ]);
  });

  it('removes the state of a window when it fires', () => {
    const h = windowJoin();
    h.push(
      [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
      [0, 15_000],
      L,
    );
    h.push(
      [
        { id: 1, amount: 1 },
        { id: 3, amount: 1 },
      ],
      [0, 15_000],
      R,
    );
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 2, bufferedRight: 2, openWindows: 2 });
    h.watermark(9_999);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 1, bufferedRight: 1, openWindows: 1 });
    h.watermark(19_999);
    expect(h.operator.metrics!()).toEqual({ bufferedLeft: 0, bufferedRight: 0, openWindows: 0 });
    expect(h.state.size().keys).toBe(0);
  });

  it('keeps its state flat over a long stream whose times advance', () => {
    const h = windowJoin({ window: { type: 'tumbling', size: '1s' } });
    let most = 0;
    for (let t = 0; t < 200_000; t += 100) {
      h.push([{ id: t % 7, name: 'x' }], [t], L);
      h.push([{ id: t % 5, amount: 1 }], [t + 50], R);
      h.watermark(t - 1_000);
      most = Math.max(most, h.state.size().keys);
    }
    expect(most).toBeLessThanOrEqual(3);
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.state.size().keys).toBe(0);
  });

  it('emits the windows still open when the input ends', () => {
    const h = windowJoin();
    h.push([{ id: 1, name: 'a' }], [0], L);
    h.push([{ id: 1, amount: 1 }], [0], R);
    h.finish();
    expect(h.emitted().rows).toHaveLength(1);
    expect(h.state.size().keys).toBe(0);
  });
});
