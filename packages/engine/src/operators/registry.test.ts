import { getOperator, OPERATORS } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { RUNTIMES, runtimeFor } from './registry.js';

describe('the runtime registry', () => {
  it('has exactly one runtime for every kind in the catalog', () => {
    const kinds = RUNTIMES.map((r) => r.declaration.kind);
    expect(kinds.sort()).toEqual(OPERATORS.map((o) => o.kind).sort());
  });

  it("runs each kind's own declaration, as the catalog holds it", () => {
    for (const runtime of RUNTIMES) {
      expect(getOperator(runtime.declaration.kind)).toBe(runtime.declaration);
    }
  });

  it('makes sources of the source kinds and operators of the rest', () => {
    for (const op of OPERATORS) {
      expect(runtimeFor(op.kind).type).toBe(op.category === 'source' ? 'source' : 'operator');
    }
  });

  it('refuses kinds it does not know, prototype names included', () => {
    expect(() => runtimeFor('constructor')).toThrow(/no runtime/);
    expect(() => runtimeFor('__proto__')).toThrow(/no runtime/);
  });
});
