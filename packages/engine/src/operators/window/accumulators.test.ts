import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../batch.js';
import { END_OF_TIME } from '../../batch.js';
import { operatorHarness, stream } from '../../testing/harness.js';
import { Aggregates } from './accumulators.js';

const INPUT = stream([
  ['name', 'string'],
  ['n', 'long'],
  ['x', 'double'],
  ['at', 'timestamp'],
  ['ok', 'boolean'],
]);

/** One tumbling window over everything pushed; returns its single row. */
function aggregate(
  aggregates: Record<string, unknown>[],
  rows: Row[],
  times = rows.map((_, i) => i),
) {
  const h = operatorHarness({
    kind: 'window.aggregate',
    config: { window: { type: 'tumbling', size: '1h' }, aggregates },
    inputs: [INPUT],
  });
  h.push(rows, times);
  h.watermark(END_OF_TIME);
  expect(h.emitted().rows).toHaveLength(1);
  return h.emitted().rows[0]!;
}

const ROWS: Row[] = [
  { name: 'b', n: 3, x: 1.5, at: 100, ok: true },
  { name: null, n: null, x: null, at: null, ok: null },
  { name: 'B', n: -2, x: 0.25, at: 50, ok: false },
  { name: 'b', n: 3, x: 2, at: 300, ok: true },
  { name: 'a', n: null, x: -1, at: 200 },
];

describe('aggregates', () => {
  it('count counts records without a value, and non-NULL values with one', () => {
    const row = aggregate(
      [
        { name: 'records', fn: 'count' },
        { name: 'values', fn: 'count', expr: 'n' },
      ],
      ROWS,
    );
    expect(row).toMatchObject({ records: 5, values: 3 });
  });

  it('count_distinct counts distinct non-NULL values', () => {
    const row = aggregate(
      [
        { name: 'names', fn: 'count_distinct', expr: 'name' },
        { name: 'ns', fn: 'count_distinct', expr: 'n' },
      ],
      ROWS,
    );
    expect(row).toMatchObject({ names: 3, ns: 2 });
  });

  it('sum ignores NULLs, keeps the input type, and is NULL without a value', () => {
    const row = aggregate(
      [
        { name: 'ns', fn: 'sum', expr: 'n' },
        { name: 'xs', fn: 'sum', expr: 'x' },
        { name: 'none', fn: 'sum', expr: 'n', where: 'n IS NULL' },
      ],
      ROWS,
    );
    expect(row).toMatchObject({ ns: 4, xs: 2.75, none: null });
    const h = operatorHarness({
      kind: 'window.aggregate',
      config: {
        window: { type: 'tumbling', size: '1h' },
        aggregates: [{ name: 'ns', fn: 'sum', expr: 'n' }],
      },
      inputs: [INPUT],
    });
    expect(h.outputs[0]!.fields.at(-1)).toEqual({ name: 'ns', type: 'long' });
  });

  it('avg is a double over the non-NULL values, NULL without any', () => {
    const row = aggregate(
      [
        { name: 'avg_n', fn: 'avg', expr: 'n' },
        { name: 'none', fn: 'avg', expr: 'x', where: 'FALSE' },
      ],
      ROWS,
    );
    expect(row).toMatchObject({ avg_n: 4 / 3, none: null });
  });

  it('min and max ignore NULLs and order numbers, timestamps and text by code unit', () => {
    const row = aggregate(
      [
        { name: 'min_n', fn: 'min', expr: 'n' },
        { name: 'max_x', fn: 'max', expr: 'x' },
        { name: 'min_at', fn: 'min', expr: 'at' },
        { name: 'max_at', fn: 'max', expr: 'at' },
        { name: 'min_name', fn: 'min', expr: 'name' },
        { name: 'max_name', fn: 'max', expr: 'name' },
        { name: 'none', fn: 'min', expr: 'n', where: 'n > 100' },
      ],
      [...ROWS, { name: 'é' }, { name: 'z' }],
    );
    expect(row).toMatchObject({
      min_n: -2,
      max_x: 2,
      min_at: 50,
      max_at: 300,
      min_name: 'B',
      max_name: 'é',
      none: null,
    });
  });

  it('first and last take the value of the earliest and latest record by event time', () => {
    const aggregates = [
      { name: 'first', fn: 'first', expr: 'name' },
      { name: 'last', fn: 'last', expr: 'name' },
    ];
    const rows = [{ name: 'c' }, { name: 'a' }, { name: 'd' }, { name: 'b' }];
    expect(aggregate(aggregates, rows, [20, 10, 40, 30])).toMatchObject({ first: 'a', last: 'd' });
    // Equal times: first takes the earliest arrival, last the latest.
    expect(aggregate(aggregates, rows, [10, 10, 10, 10])).toMatchObject({ first: 'c', last: 'b' });
    // The value of that record, NULL included.
    expect(aggregate(aggregates, [{ name: null }, { name: 'x' }], [1, 2])).toMatchObject({
      first: null,
      last: 'x',
    });
  });

  it('where filters the records each aggregate sees; NULL counts as false', () => {
    const row = aggregate(
      [
        { name: 'all', fn: 'count' },
        { name: 'ok', fn: 'count', where: 'ok' },
        { name: 'ok_n', fn: 'sum', expr: 'n', where: 'ok' },
        { name: 'not_ok', fn: 'count', where: 'NOT ok' },
      ],
      ROWS,
    );
    expect(row).toMatchObject({ all: 5, ok: 2, ok_n: 6, not_ok: 1 });
  });

  it('does not compute the value of a record its filter leaves out', () => {
    const h = operatorHarness({
      kind: 'window.aggregate',
      config: {
        window: { type: 'tumbling', size: '1h' },
        aggregates: [{ name: 'ratio', fn: 'sum', expr: '10 / n', where: 'n <> 0' }],
      },
      inputs: [INPUT],
    });
    h.push([{ n: 0 }, { n: 5 }], [0, 1]);
    h.watermark(END_OF_TIME);
    expect(h.errors).toEqual([]);
    expect(h.emitted().rows[0]).toMatchObject({ ratio: 2 });
  });
});

describe('Aggregates', () => {
  const configs = [
    { name: 'c', fn: 'count_distinct', expr: 'name' },
    { name: 'f', fn: 'first', expr: 'name' },
    { name: 'l', fn: 'last', expr: 'name' },
    { name: 's', fn: 'sum', expr: 'n' },
  ] as const;
  const aggregates = new Aggregates(configs, INPUT.fields);
  const results = (accumulators: ReturnType<Aggregates['create']>) =>
    accumulators.map((a) => a.result());

  it('merges accumulators as if every record went into one, leaving the merged-in one unchanged', () => {
    const early = aggregates.create();
    const late = aggregates.create();
    aggregates.read({ name: 'a', n: 1 });
    aggregates.add(late, 10, 0);
    aggregates.read({ name: 'b', n: 2 });
    aggregates.add(early, 10, 1);
    aggregates.read({ name: 'a', n: 4 });
    aggregates.add(early, 5, 2);
    const merged = aggregates.create();
    aggregates.merge(merged, early);
    aggregates.merge(merged, late);
    // Ties at time 10: first is the earlier arrival (a, 0), last the later one (b, 1).
    expect(results(merged)).toEqual([2, 'a', 'b', 7]);
    expect(results(late)).toEqual([1, 'a', 'a', 1]);
    expect(results(early)).toEqual([2, 'a', 'b', 6]);
  });

  it('takes back count, sum and avg contributions as if the record had never been added', () => {
    const retractable = new Aggregates(
      [
        { name: 'n', fn: 'count' },
        { name: 'ns', fn: 'count', expr: 'n' },
        { name: 's', fn: 'sum', expr: 'x' },
        { name: 'a', fn: 'avg', expr: 'x' },
        { name: 'big', fn: 'sum', expr: 'n', where: 'n > 1' },
      ],
      INPUT.fields,
    );
    const accumulators = retractable.create();
    const contributions = [
      { n: 2, x: 0.1 },
      { n: null, x: 0.2 },
      { n: 1, x: null },
    ].map((row) => {
      retractable.read(row);
      retractable.add(accumulators, 0, 0);
      return retractable.contribution();
    });
    expect(contributions[1]).toEqual([true, null, 0.2, 0.2, null]);
    expect(accumulators.map((a) => a.result())).toEqual([3, 2, 0.1 + 0.2, (0.1 + 0.2) / 2, 2]);
    retractable.remove(accumulators, contributions[0]!);
    expect(accumulators.map((a) => a.result())).toEqual([
      2,
      1,
      0.1 + 0.2 - 0.1,
      0.1 + 0.2 - 0.1,
      null,
    ]);
    retractable.remove(accumulators, contributions[1]!);
    // Empty again: exactly 0 and NULL, not what rounding left.
    expect(accumulators.map((a) => a.result())).toEqual([1, 1, null, null, null]);
    retractable.read({ n: 5, x: 0.3 });
    retractable.add(accumulators, 0, 0);
    expect(accumulators.map((a) => a.result())).toEqual([2, 2, 0.3, 0.3, 5]);
    expect(() => aggregates.remove(aggregates.create(), [null, null, null, null])).toThrow(
      /only count, sum and avg/,
    );
  });

  it('gives NULL, or 0 for counts, when nothing was added', () => {
    const empty = aggregates.create();
    aggregates.merge(empty, aggregates.create());
    expect(results(empty)).toEqual([0, null, null, null]);
  });

  it('count_distinct over one value with different filters counts each as its own Set would', () => {
    const number = fc.oneof(
      fc.integer({ min: -20, max: 20 }),
      fc.constantFrom(0, -0, 0.5, 1e300, 2 ** 53, null),
    );
    const text = fc.constantFrom('a', 'b', '1', '', null);
    const bands = [undefined, 'n < 3', 'n >= 3 AND n < 7', 'n >= 7', 'n < 3'];
    const pass = (where: string | undefined, n: number) =>
      where === undefined ||
      (where === 'n < 3' ? n < 3 : where === 'n >= 7' ? n >= 7 : n >= 3 && n < 7);
    const configs = ['v', 's'].flatMap((expr) =>
      bands.map((where, i) => ({ name: `${expr}${i}`, fn: 'count_distinct', expr, where })),
    );
    const aggregates = new Aggregates(
      configs as never,
      [
        { name: 'v', type: 'double', nullable: true },
        { name: 's', type: 'string', nullable: true },
        { name: 'n', type: 'long', nullable: false },
      ] as never,
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ v: number, s: text, n: fc.integer({ min: 0, max: 9 }) }), {
          minLength: 1,
          maxLength: 300,
          size: 'max',
        }),
        (rows) => {
          const accumulators = aggregates.create();
          for (const row of rows) {
            aggregates.read(row);
            aggregates.add(accumulators, 0, 0);
          }
          const sets = configs.map(
            (c) =>
              new Set(
                rows
                  .filter((r) => r[c.expr as 'v' | 's'] !== null && pass(c.where, r.n))
                  .map((r) => r[c.expr as 'v' | 's']),
              ),
          );
          const expected = sets.map((set) => set.size);
          expect(accumulators.map((a) => a.result())).toEqual(expected);
          // What a checkpoint keeps and a merge folds in are the same values.
          expect(aggregates.save(accumulators)).toEqual(sets);
          const restored = aggregates.load(aggregates.save(accumulators));
          expect(restored.map((a) => a.result())).toEqual(expected);
          const merged = aggregates.create();
          aggregates.merge(merged, accumulators);
          aggregates.merge(merged, restored);
          expect(merged.map((a) => a.result())).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keys whose distinct values share a pane’s tables count as a Set per key would', () => {
    const configs = [
      { name: 'all', fn: 'count_distinct', expr: 'v' },
      { name: 'low', fn: 'count_distinct', expr: 'v', where: 'n < 5' },
      { name: 'texts', fn: 'count_distinct', expr: 's' },
    ];
    const aggregates = new Aggregates(
      configs as never,
      [
        { name: 'v', type: 'double', nullable: true },
        { name: 's', type: 'string', nullable: true },
        { name: 'n', type: 'long', nullable: false },
      ] as never,
    );
    // Many values, to make the tables grow, and a few that every key has, for the same value
    // of two keys to meet in a probe.
    const value = fc.oneof(
      fc.integer({ min: -3000, max: 3000 }),
      fc.integer({ min: 0, max: 7 }),
      fc.constantFrom(0, -0, 0.25, -1e300, 2 ** 40, null),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 40 }),
            v: value,
            s: fc.constantFrom('a', 'b', null),
            n: fc.integer({ min: 0, max: 9 }),
          }),
          { minLength: 1, maxLength: 3000 },
        ),
        (rows) => {
          // A pool that starts at 1 024 slots: thousands of values make it grow, chains and all.
          const pool = aggregates.pool();
          const keys = new Map<number, ReturnType<Aggregates['create']>>();
          for (const row of rows) {
            let accumulators = keys.get(row.key);
            if (accumulators === undefined) {
              accumulators = aggregates.create(pool);
              keys.set(row.key, accumulators);
            }
            aggregates.read(row);
            aggregates.add(accumulators, 0, 0);
          }
          for (const [key, accumulators] of keys) {
            const mine = rows.filter((r) => r.key === key);
            const sets = [
              new Set(mine.filter((r) => r.v !== null).map((r) => r.v)),
              new Set(mine.filter((r) => r.v !== null && r.n < 5).map((r) => r.v)),
              new Set(mine.filter((r) => r.s !== null).map((r) => r.s)),
            ];
            expect(accumulators.map((a) => a.result())).toEqual(sets.map((set) => set.size));
            expect(aggregates.save(accumulators)).toEqual(sets);
            const restored = aggregates.load(aggregates.save(accumulators), aggregates.pool());
            expect(restored.map((a) => a.result())).toEqual(sets.map((set) => set.size));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
