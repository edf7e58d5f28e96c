import { describe, expect, it } from 'vitest';
import { closeEnough, diffRows } from './compare.js';

const fields = ['k', 'n', 'x'];

describe('diffRows', () => {
  it('finds nothing between the same multiset in another order, doubles within rounding', () => {
    const expected = [
      { k: 'a', n: 1, x: 0.1 + 0.2 },
      { k: 'a', n: 1, x: 5 },
      { k: null, n: 2, x: null },
    ];
    const actual = [
      { k: null, n: 2, x: null },
      { k: 'a', n: 1, x: 5 },
      { k: 'a', n: 1, x: 0.3 },
    ];
    expect(diffRows(actual, expected, fields, ['x'])).toEqual({
      missing: [],
      extra: [],
      counts: { actual: 3, expected: 3 },
    });
  });

  it('counts duplicates: a row twice is not the same as once', () => {
    const row = { k: 'a', n: 1, x: 1 };
    const diff = diffRows([row], [row, row], fields, ['x']);
    expect(diff.missing).toEqual([row]);
    expect(diff.extra).toEqual([]);
  });

  it('tells NULL from 0, from the empty string and from a missing field', () => {
    const diff = diffRows([{ k: '', n: 0, x: 0 }], [{ k: null, n: null }], fields, ['x']);
    expect(diff.missing).toEqual([{ k: null, n: null, x: null }]);
    expect(diff.extra).toEqual([{ k: '', n: 0, x: 0 }]);
  });

  it('holds longs and fields not named as doubles exactly', () => {
    const diff = diffRows([{ k: 'a', n: 1.0000000001, x: 1 }], [{ k: 'a', n: 1, x: 1 }], fields, [
      'x',
    ]);
    expect(diff.extra).toHaveLength(1);
  });

  it('tells doubles apart beyond rounding', () => {
    expect(closeEnough(100, 100.000001)).toBe(false);
    expect(closeEnough(1e12, 1e12 + 1e-4)).toBe(true);
    expect(
      diffRows([{ k: 'a', n: 1, x: 1.001 }], [{ k: 'a', n: 1, x: 1 }], fields, ['x']).extra,
    ).toHaveLength(1);
  });
});
