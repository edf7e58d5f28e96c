import type { Field } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { expressionProblems } from './editor.js';

const fields: Field[] = [
  { name: 'amount', type: 'double' },
  { name: 'category', type: 'string' },
];

describe('expression problems as the editor underlines them', () => {
  it('underlines a wrong result type when the operator expects one', () => {
    expect(expressionProblems('amount', fields)).toEqual([]);
    const [problem] = expressionProblems('amount', fields, 'boolean');
    expect(problem).toMatchObject({ from: 0, to: 6, severity: 'error' });
    expect(problem?.message).toContain('TRUE or FALSE');
    expect(expressionProblems('amount > 100', fields, 'boolean')).toEqual([]);
  });

  it('underlines a field that does not flow in', () => {
    const [problem] = expressionProblems('amout > 100', fields, 'boolean');
    expect(problem).toMatchObject({ from: 0, to: 5 });
  });
});
