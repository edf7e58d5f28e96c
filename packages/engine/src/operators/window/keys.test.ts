import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { END_OF_TIME } from '../../batch.js';
import { operatorHarness, stream } from '../../testing/harness.js';
import { GLOBAL_GROUP, groupKey } from './keys.js';

const INPUT = stream([
  ['region', 'string'],
  ['code', 'long'],
  ['flag', 'boolean'],
]);

function grouped(groupBy: string[]) {
  return operatorHarness({
    kind: 'window.aggregate',
    config: {
      window: { type: 'tumbling', size: '10ms' },
      groupBy,
      aggregates: [{ name: 'n', fn: 'count' }],
    },
    inputs: [INPUT],
  });
}

describe('group keys', () => {
  it('uses the value itself as the key of one field, NULL and missing alike', () => {
    const key = groupKey(['region']);
    expect([key.of({ region: 'eu' }), key.of({ region: null }), key.of({})]).toEqual([
      'eu',
      null,
      null,
    ]);
    expect(key.values({ code: 1 })).toEqual([null]);
  });

  it('has one global group without group-by', () => {
    const key = groupKey([]);
    expect(key.of({ region: 'eu' })).toBe(GLOBAL_GROUP);
    expect(key.values({ region: 'eu' })).toEqual([]);
  });

  it('gives different tuples different composite keys, and equal tuples equal keys', () => {
    const key = groupKey(['a', 'b']);
    const value = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.tuple(value, value), fc.tuple(value, value), ([a1, b1], [a2, b2]) => {
        const same = Object.is(a1, a2) && Object.is(b1, b2);
        const k1 = key.of({ a: a1, b: b1 });
        expect(k1).toBe(key.of({ a: a1, b: b1 }));
        // -0 and 0 are one group, as SQL has it.
        const equalish = (x: unknown, y: unknown) => Object.is(x, y) || (x === 0 && y === 0);
        if (!same)
          expect(k1 === key.of({ a: a2, b: b2 })).toBe(equalish(a1, a2) && equalish(b1, b2));
      }),
    );
    expect(key.of({ a: 'x",n1;', b: null })).not.toBe(key.of({ a: 'x', b: '",n1;' }));
    expect(key.of({ a: Number.NaN, b: 1 })).not.toBe(key.of({ a: null, b: 1 }));
  });

  it('makes NULL a group of its own', () => {
    const h = grouped(['region']);
    h.push([{ region: 'eu' }, { region: null }, {}, { region: 'eu' }], [1, 2, 3, 4]);
    h.watermark(END_OF_TIME);
    expect(h.emitted().rows.map((r) => [r.region, r.n])).toEqual([
      ['eu', 2],
      [null, 2],
    ]);
  });

  it('groups by several fields, NULLs included, in the order of the group-by', () => {
    const h = grouped(['flag', 'region', 'code']);
    h.push(
      [
        { region: 'eu', code: 1, flag: true },
        { region: 'eu', code: null, flag: true },
        { region: 'eu', code: 1, flag: true },
        { region: null, code: 1, flag: null },
        { region: 'eu', code: 1, flag: false },
      ],
      [1, 2, 3, 4, 5],
    );
    h.watermark(END_OF_TIME);
    expect(h.emitted().rows).toEqual([
      { flag: true, region: 'eu', code: 1, window_start: 0, window_end: 10, n: 2 },
      { flag: true, region: 'eu', code: null, window_start: 0, window_end: 10, n: 1 },
      { flag: null, region: null, code: 1, window_start: 0, window_end: 10, n: 1 },
      { flag: false, region: 'eu', code: 1, window_start: 0, window_end: 10, n: 1 },
    ]);
  });

  it('aggregates everything in one group without group-by', () => {
    const h = grouped([]);
    h.push([{ region: 'eu' }, { region: 'us' }], [1, 2]);
    h.watermark(END_OF_TIME);
    expect(h.emitted().rows).toEqual([{ window_start: 0, window_end: 10, n: 2 }]);
  });
});
