import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

const BID = stream([
  ['auction', 'long'],
  ['bidder', 'long'],
  ['price', 'long'],
  ['channel', 'string'],
  ['dateTime', 'timestamp'],
]);
const bid = (auction: number, price: number): Row => ({
  auction,
  bidder: 7,
  price,
  channel: 'Google',
  dateTime: 1000 + auction,
});

function map(fields: [string, string][], keepInput = false, input = BID) {
  return operatorHarness({
    kind: 'transform.map',
    config: { fields: fields.map(([name, expr]) => ({ name, expr })), keepInput },
    inputs: [input],
  });
}

describe('transform.map', () => {
  it('projects and computes fields, in the order of the output schema, with one shape', () => {
    const h = map([
      ['price', '0.908 * price'],
      ['auction', 'auction'],
      ['when', 'dateTime'],
    ]);
    h.push([bid(1, 100), bid(2, 50)], [10, 20]);
    const { rows, times } = h.emitted();
    expect(rows).toEqual([
      { price: 90.8, auction: 1, when: 1001 },
      { price: 45.4, auction: 2, when: 1002 },
    ]);
    expect(rows.map((r) => Object.keys(r))).toEqual([
      ['price', 'auction', 'when'],
      ['price', 'auction', 'when'],
    ]);
    expect(times).toEqual([10, 20]);
  });

  it('passes the rows on as they are when the output is exactly the input', () => {
    const input = [bid(1, 100), bid(2, 50)];
    const h = map([['price', 'price']], true);
    h.push(input, [10, 20]);
    expect(h.emitted().rows[0]).toBe(input[0]);
    expect(h.emitted().rows[1]).toBe(input[1]);
    expect(h.emitted().times).toEqual([10, 20]);
  });

  it('makes new rows, never touching its input, when a field is replaced', () => {
    const input = [bid(1, 100)];
    const h = map([['price', 'price * 2']], true);
    h.push(input, [10]);
    expect(h.emitted().rows).toEqual([{ ...bid(1, 200) }]);
    expect(h.emitted().rows[0]).not.toBe(input[0]);
    expect(input[0]).toEqual(bid(1, 100));
  });

  it('makes new rows when the same fields come in another order', () => {
    const h = map(
      ['dateTime', 'channel', 'price', 'bidder', 'auction'].map((f) => [f, f] as [string, string]),
    );
    h.push([bid(1, 100)], [10]);
    expect(Object.keys(h.emitted().rows[0]!)).toEqual([
      'dateTime',
      'channel',
      'price',
      'bidder',
      'auction',
    ]);
  });

  it('reads a field missing from a row as NULL', () => {
    const h = map([
      ['channel', 'channel'],
      ['shout', 'UPPER(channel)'],
    ]);
    h.push([{ auction: 1 }], [10]);
    expect(h.emitted().rows).toEqual([{ channel: null, shout: null }]);
  });

  it('sends a record whose text would be too large to the errors, and keeps going', () => {
    const h = map([['big', "REPLACE(LPAD(channel, 1000000, 'a'), 'a', 'aaaaaaaaaa')"]]);
    h.push([bid(1, 100)], [10]);
    expect(h.emitted().rows).toEqual([]);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]?.reason).toMatch(
      /^REPLACE would build text of \d+ characters; the limit is 1048576/,
    );
    h.push([{ ...bid(2, 50), channel: 'x' }], [20]);
    expect(h.errors).toHaveLength(2);
  });

  it('sends a bad record to the errors with the reason, keeping times beside their rows', () => {
    const h = map([
      ['auction', 'auction'],
      ['share', '100 / price'],
    ]);
    h.push([bid(1, 4), bid(2, 0), bid(3, 5), bid(4, 0), bid(5, 10)], [1, 2, 3, 4, 5]);
    expect(h.emitted().rows).toEqual([
      { auction: 1, share: 25 },
      { auction: 3, share: 20 },
      { auction: 5, share: 10 },
    ]);
    expect(h.emitted().times).toEqual([1, 3, 5]);
    expect(h.errors.map((e) => e.row)).toEqual([bid(2, 0), bid(4, 0)]);
    expect(h.errors[0]?.reason).toMatch(/division by zero/i);
  });

  it('copies and computes any fields in any order as field by field would (property)', () => {
    // Wider than the copies with access sites of their own, so the shared loop is covered too.
    const names = Array.from({ length: 14 }, (_, i) => `f${i}`);
    const input = stream(names.map((n) => [n, 'long'] as [string, 'long']));
    const field = fc.record({
      name: fc.constantFrom(...names, 'x', 'y'),
      from: fc.constantFrom(...names),
      add: fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(field, { selector: (f) => f.name, minLength: 1, maxLength: 16 }),
        fc.boolean(),
        fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 14, maxLength: 14 })),
        (fields, keepInput, values) => {
          const h = map(
            fields.map((f) => [f.name, f.add === undefined ? f.from : `${f.from} + ${f.add}`]),
            keepInput,
            input,
          );
          const rows = values.map((v) => Object.fromEntries(names.map((n, i) => [n, v[i]])));
          h.push(
            rows,
            rows.map((_, i) => i),
          );
          const out = h.outputs[0]!.fields.map((f) => f.name);
          const byName = new Map(fields.map((f) => [f.name, f]));
          const expected = rows.map((row) =>
            Object.fromEntries(
              out.map((name) => {
                const f = byName.get(name);
                const from = f?.from ?? name;
                return [name, (row[from] as number) + (f?.add ?? 0)];
              }),
            ),
          );
          expect(h.emitted().rows).toEqual(expected);
          for (const row of h.emitted().rows) expect(Object.keys(row)).toEqual(out);
        },
      ),
      { numRuns: 300 },
    );
  });
});
