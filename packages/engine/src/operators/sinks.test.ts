import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';
import {
  CONSOLE_LINE_CHARS,
  CONSOLE_LINES_PER_SECOND,
  type ConsoleView,
  type PreviewView,
} from './sinks.js';

const INPUT = stream([
  ['n', 'long'],
  ['text', 'string'],
]);

function consoleSink(format: 'json' | 'table' = 'json') {
  let printed = '';
  const h = operatorHarness({
    kind: 'sink.console',
    config: { format },
    inputs: [INPUT],
    stdout: (text) => {
      printed += text;
    },
  });
  return { h, printed: () => printed, view: () => h.operator.inspect?.() as ConsoleView };
}

const rows = (from: number, count: number, text = 'x'): Row[] =>
  Array.from({ length: count }, (_, i) => ({ n: from + i, text }));

describe('sink.console', () => {
  it('prints at most its lines a second, and says once a second how many it left out', () => {
    const { h, printed, view } = consoleSink();
    h.push(rows(0, 1000), new Array(1000).fill(0));
    const first = printed().split('\n').filter(Boolean);
    expect(first).toHaveLength(CONSOLE_LINES_PER_SECOND);
    expect(first[0]).toBe('[op] {"n":0,"text":"x"}');
    // Still within the same second: nothing more is printed.
    h.advance(500);
    h.push(rows(1000, 10), new Array(10).fill(0));
    expect(printed().split('\n').filter(Boolean)).toHaveLength(CONSOLE_LINES_PER_SECOND);
    h.advance(600);
    h.push(rows(2000, 1), [0]);
    const lines = printed().split('\n').filter(Boolean);
    expect(lines[CONSOLE_LINES_PER_SECOND]).toBe(
      `[op] … ${1010 - CONSOLE_LINES_PER_SECOND} records not printed (at most ${CONSOLE_LINES_PER_SECOND} lines a second)`,
    );
    expect(lines.at(-1)).toBe('[op] {"n":2000,"text":"x"}');
    expect(view()).toMatchObject({ total: 1011, omitted: 1010 - CONSOLE_LINES_PER_SECOND });
    expect(view().lines.at(-1)).toBe('{"n":2000,"text":"x"}');
  });

  it('cuts a long line, saying how much was cut', () => {
    const { h, printed } = consoleSink();
    h.push([{ n: 1, text: 'y'.repeat(100_000) }], [0]);
    const line = printed().trimEnd();
    expect(line.length).toBeLessThan(CONSOLE_LINE_CHARS + 100);
    expect(line).toMatch(/… \(\d+ more characters\)$/);
  });

  it('says what it left out when it closes', async () => {
    const { h, printed } = consoleSink('table');
    h.push(rows(0, CONSOLE_LINES_PER_SECOND + 5), new Array(CONSOLE_LINES_PER_SECOND + 5).fill(0));
    await h.operator.close?.();
    expect(printed().trimEnd().split('\n').at(-1)).toBe(
      `[op] … 5 records not printed (at most ${CONSOLE_LINES_PER_SECOND} lines a second)`,
    );
  });
});

describe('sink.preview', () => {
  it('keeps the latest rows up to the capacity its declaration gives when none is set', () => {
    const h = operatorHarness({ kind: 'sink.preview', config: {}, inputs: [INPUT] });
    h.push(rows(0, 500), new Array(500).fill(0));
    const view = h.operator.inspect!() as PreviewView;
    expect(view.total).toBe(500);
    expect(view.rows).toHaveLength(200);
    expect(view.rows[0]).toEqual({ n: 300, text: 'x' });
  });

  it('keeps as many as the capacity set', () => {
    const h = operatorHarness({ kind: 'sink.preview', config: { capacity: 3 }, inputs: [INPUT] });
    h.push(rows(0, 10), new Array(10).fill(0));
    const view = h.operator.inspect!() as PreviewView;
    expect(view.rows.map((r) => r.n)).toEqual([7, 8, 9]);
  });
});
