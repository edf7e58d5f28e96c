import { describe, expect, it } from 'vitest';
import { ErrorOutput, MAX_KEPT_ROW_CHARS } from './errors.js';

describe('the error output', () => {
  it('keeps small bad records whole', () => {
    const errors = new ErrorOutput(10);
    errors.add({ nodeId: 'n', reason: 'bad', row: { id: 'x', n: [1, 2] }, at: 1 });
    errors.add({ nodeId: 'n', reason: 'bad', row: '{"id":', at: 2 });
    expect(errors.recent().map((e) => e.row)).toEqual([{ id: 'x', n: [1, 2] }, '{"id":']);
  });

  it('keeps only the start of a bad record of megabytes, saying it was cut', () => {
    const errors = new ErrorOutput(10);
    const line = `{"id":"${'x'.repeat(4_000_000)}"}`;
    errors.add({ nodeId: 'n', reason: 'bad', row: line, at: 1 });
    errors.add({ nodeId: 'n', reason: 'bad', row: { id: 'y'.repeat(4_000_000) }, at: 2 });
    const [text, object] = errors.recent().map((e) => e.row as string);
    for (const kept of [text!, object!]) {
      expect(kept.length).toBeLessThan(MAX_KEPT_ROW_CHARS + 100);
      expect(kept).toMatch(/… \(cut: /);
    }
    expect(text).toContain(`${line.length} characters in all`);
    expect(object!.startsWith('{"id":"yyy')).toBe(true);
    expect(errors.total).toBe(2);
  });
});
