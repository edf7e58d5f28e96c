import { describe, expect, it } from 'vitest';
import { tokenizeExpression } from './tokenize.js';

function kinds(text: string): string[] {
  return tokenizeExpression(text).map((t) => `${t.kind}:${text.slice(t.range.start, t.range.end)}`);
}

describe('tokenizeExpression', () => {
  it('classifies keywords, functions, fields, literals, operators and comments', () => {
    expect(kinds("upper(`a b`) || 'x' -- note\nAND n >= 1.5 IS NOT NULL")).toEqual([
      'function:upper',
      'punctuation:(',
      'identifier:`a b`',
      'punctuation:)',
      'operator:||',
      "string:'x'",
      'comment:-- note',
      'keyword:AND',
      'identifier:n',
      'operator:>=',
      'number:1.5',
      'keyword:IS',
      'keyword:NOT',
      'keyword:NULL',
    ]);
  });

  it('marks type names after AS and TIMESTAMP literals as keywords, but not fields named like them', () => {
    expect(kinds("CAST(x AS BIGINT) > TIMESTAMP '2024-01-01 00:00:00' AND timestamp > 0")).toEqual([
      'keyword:CAST',
      'punctuation:(',
      'identifier:x',
      'keyword:AS',
      'keyword:BIGINT',
      'punctuation:)',
      'operator:>',
      'keyword:TIMESTAMP',
      "string:'2024-01-01 00:00:00'",
      'keyword:AND',
      'identifier:timestamp',
      'operator:>',
      'number:0',
    ]);
  });

  it('marks TRIM modes as keywords and broken text as errors', () => {
    expect(kinds("TRIM(LEADING '0' FROM s) 'open")).toEqual([
      'function:TRIM',
      'punctuation:(',
      'keyword:LEADING',
      "string:'0'",
      'keyword:FROM',
      'identifier:s',
      'punctuation:)',
      "error:'open",
    ]);
    expect(kinds('a # "q"')).toEqual(['identifier:a', 'error:#', 'error:"q"']);
  });

  it('returns nothing for text that is not a string', () => {
    expect(tokenizeExpression(42 as unknown as string)).toEqual([]);
  });
});
