import type { StreamSchema } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { expectedTypes } from './expectations.js';

const orders: StreamSchema = {
  fields: [
    { name: 'category', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'ts', type: 'timestamp' },
  ],
  time: 'event',
  timeField: 'ts',
};

describe('what an operator expects of its expressions', () => {
  it('a filter’s condition must be boolean', () => {
    const node = { id: 'f', kind: 'transform.filter', config: { where: 'amount' } };
    expect(expectedTypes(node, { in: [orders] }).get('where')).toBe('boolean');
  });

  it('a computed field may give any type', () => {
    const node = {
      id: 'm',
      kind: 'transform.map',
      config: { fields: [{ name: 'double_amount', expr: 'amount * 2' }] },
    };
    expect(expectedTypes(node, { in: [orders] }).size).toBe(0);
  });

  it('knows nothing before the inputs are known, or of a kind not in the catalog', () => {
    const filter = { id: 'f', kind: 'transform.filter', config: { where: 'TRUE' } };
    expect(expectedTypes(filter, {}).size).toBe(0);
    expect(expectedTypes({ id: 'x', kind: 'no.such', config: {} }, {}).size).toBe(0);
  });

  it('survives a config inference does not expect', () => {
    const node = { id: 'w', kind: 'window.aggregate', config: { aggregates: 'oops' } };
    expect(() => expectedTypes(node, { in: [orders] })).not.toThrow();
  });
});
