import {
  type Field,
  joinInterval,
  joinLayout,
  type StreamSchema,
  withDefaults,
} from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { joinedRows } from './joined-rows.js';

function environment(
  left: Field[],
  right: Field[],
  options: { on: { left: string; right: string }[]; where?: string; rightPrefix?: string },
  leading: Field[] = [],
) {
  const config = withDefaults(joinInterval, { lower: '0s', upper: '0s', ...options });
  const layout = joinLayout(config, left, right, leading);
  if ('clash' in layout) throw new Error(layout.clash);
  const schema = (fields: Field[]): StreamSchema => ({ fields, time: 'event' });
  return {
    config,
    inputs: [[schema(left)], [schema(right)]],
    outputs: [schema(layout.fields)],
  };
}

const errors: { row: unknown; reason: string }[] = [];
const context = {
  error: (row: unknown, reason: string) => void errors.push({ row, reason }),
};

describe('joinedRows', () => {
  it('builds leading, left and right fields, a missing field as NULL', () => {
    const rows = joinedRows(
      environment(
        [
          { name: 'id', type: 'long' },
          { name: 'a', type: 'string' },
        ],
        [
          { name: 'id', type: 'long' },
          { name: 'a', type: 'string' },
        ],
        { on: [{ left: 'id', right: 'id' }] },
        [{ name: 'window_start', type: 'timestamp' }],
      ),
      [{ name: 'window_start', type: 'timestamp' }],
    );
    expect(rows.build({ window_start: 5 }, { id: 1, a: 'l' }, { id: 1, a: 'r' })).toEqual({
      window_start: 5,
      id: 1,
      a: 'l',
      right_a: 'r',
    });
    expect(rows.build({ window_start: 5 }, { id: 1 }, null)).toEqual({
      window_start: 5,
      id: 1,
      a: null,
      right_a: null,
    });
  });

  it('writes and reads fields named like Object.prototype members as plain fields', () => {
    const rows = joinedRows(
      environment(
        [{ name: 'constructor', type: 'long' }],
        [{ name: '__proto__', type: 'string' }],
        { on: [{ left: 'constructor', right: '__proto__' }] },
      ),
    );
    const out = rows.build(null, {}, JSON.parse('{"__proto__": "x"}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['constructor', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(out, 'constructor')?.value).toBeNull();
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('x');
  });

  it('matches on TRUE only, and sends a record whose where fails to the error output', () => {
    const rows = joinedRows(
      environment([{ name: 'id', type: 'long' }], [{ name: 'n', type: 'long' }], {
        on: [{ left: 'id', right: 'n' }],
        where: 'n > 1',
      }),
    );
    expect(rows.match(null, { id: 1 }, { n: 2 }, context)).toEqual({ id: 1, n: 2 });
    expect(rows.match(null, { id: 1 }, { n: 1 }, context)).toBeUndefined();
    expect(rows.match(null, { id: 1 }, { n: null }, context)).toBeUndefined();
    expect(rows.match(null, { id: 1 }, null, context)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(rows.match(null, { id: 1 }, { n: 'two' }, context)).toBeUndefined();
    expect(errors).toEqual([{ row: { id: 1, n: 'two' }, reason: expect.stringMatching(/'n'/) }]);
  });

  it('gives each matched pair a record of its own, whatever where read before', () => {
    const rows = joinedRows(
      environment(
        [
          { name: 'id', type: 'long' },
          { name: 'at', type: 'long' },
        ],
        [
          { name: 'id', type: 'long' },
          { name: 'at', type: 'long' },
        ],
        { on: [{ left: 'id', right: 'id' }], where: 'right_at >= at' },
      ),
    );
    const a = rows.match(null, { id: 1, at: 5 }, { id: 1, at: 7 }, context);
    const b = rows.match(null, { id: 1, at: 6 }, { id: 1, at: 6 }, context);
    expect(rows.match(null, { id: 1, at: 9 }, { id: 1, at: 8 }, context)).toBeUndefined();
    expect([a, b]).toEqual([
      { id: 1, at: 5, right_at: 7 },
      { id: 1, at: 6, right_at: 6 },
    ]);
    expect(a).not.toBe(b);
  });

  it('checks where on fields named like Object.prototype members', () => {
    const rows = joinedRows(
      environment([{ name: 'constructor', type: 'long' }], [{ name: 'toString', type: 'long' }], {
        on: [{ left: 'constructor', right: 'toString' }],
        where: 'toString > 1',
      }),
    );
    expect(rows.match(null, { constructor: 2 }, { toString: 2 }, context)).toEqual({
      constructor: 2,
      toString: 2,
    });
    expect(rows.match(null, { constructor: 1 }, {}, context)).toBeUndefined();
  });
});
