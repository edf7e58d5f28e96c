// The sinks without files: discard, preview and console.
export type { ConsoleView, PreviewView } from '@sluice/shared';

import type { ConsoleView, PreviewView, sinkConsole, sinkPreview } from '@sluice/shared';
import type { Row } from '../batch.js';
import { jsonEncoder } from '../io/encode.js';
import type { EnvironmentOf, Operator } from '../operator.js';

export function createBlackhole(): Operator {
  return { process() {} };
}

/** Keeps the latest `capacity` results in a ring buffer for the UI. */
export function createPreview(env: EnvironmentOf<typeof sinkPreview>): Operator {
  const { capacity } = env.config;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const rows: Row[] = new Array(capacity);
  const times: number[] = new Array(capacity);
  let total = 0;
  return {
    process(batch) {
      const n = batch.rows.length;
      for (let i = Math.max(0, n - capacity); i < n; i++) {
        const at = (total + i) % capacity;
        rows[at] = batch.rows[i]!;
        times[at] = batch.times[i]!;
      }
      total += n;
    },
    inspect(): PreviewView {
      const count = Math.min(total, capacity);
      const start = total - count;
      const out: Row[] = [];
      const outTimes: number[] = [];
      for (let i = start; i < total; i++) {
        out.push(rows[i % capacity]!);
        outTimes.push(times[i % capacity]!);
      }
      return { fields: [...fields], rows: out, times: outTimes, total };
    },
  };
}

/** A console sink prints at most this many lines a second (by the job's clock); the rest are counted. */
export const CONSOLE_LINES_PER_SECOND = 20;
/** A printed line longer than this many characters is cut, saying how much was cut. */
export const CONSOLE_LINE_CHARS = 1000;
/** Lines a console sink keeps for the canvas. */
export const CONSOLE_LINES_KEPT = 100;

/**
 * Prints each record as a JSON line, or as aligned columns, and keeps the
 * latest lines for the canvas. A full-speed stream would flood the terminal
 * (tens of MB a second), so lines are limited per second and cut at a length,
 * and what was left out is said, once a second.
 */
export function createConsole(env: EnvironmentOf<typeof sinkConsole>): Operator {
  const { format } = env.config;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const encode = jsonEncoder(fields);
  const prefix = `[${env.node.id}] `;
  const width = (name: string) => Math.max(name.length, 12);
  const lineOf = (row: Row): string => {
    const values = encode(row);
    return format === 'json'
      ? JSON.stringify(values)
      : fields.map((f) => String(values[f.name]).padEnd(width(f.name))).join(' ');
  };
  const kept: string[] = [];
  let printedHeader = false;
  let total = 0;
  let omitted = 0;
  let secondStart = env.clock.now();
  let printedThisSecond = 0;
  let omittedThisSecond = 0;

  const keep = (line: string) => {
    kept.push(line);
    if (kept.length > CONSOLE_LINES_KEPT) kept.shift();
  };
  /** The count of what the last second left out, as one line; empty when nothing was. */
  const omissionLine = (): string => {
    if (omittedThisSecond === 0) return '';
    const line = `… ${omittedThisSecond} records not printed (at most ${CONSOLE_LINES_PER_SECOND} lines a second)`;
    omittedThisSecond = 0;
    keep(line);
    return `${prefix}${line}\n`;
  };

  return {
    process(batch) {
      const now = env.clock.now();
      let text = '';
      if (now - secondStart >= 1000) {
        text += omissionLine();
        secondStart = now;
        printedThisSecond = 0;
      }
      if (format === 'table' && !printedHeader) {
        text += `${prefix}${fields.map((f) => f.name.padEnd(width(f.name))).join(' ')}\n`;
        printedHeader = true;
      }
      const n = batch.rows.length;
      total += n;
      const room = Math.min(n, CONSOLE_LINES_PER_SECOND - printedThisSecond);
      for (let i = 0; i < room; i++) {
        const line = cut(lineOf(batch.rows[i]!));
        keep(line);
        text += `${prefix}${line}\n`;
      }
      printedThisSecond += room;
      omittedThisSecond += n - room;
      omitted += n - room;
      if (text !== '') env.stdout(text);
    },
    close() {
      const text = omissionLine();
      if (text !== '') env.stdout(text);
    },
    inspect(): ConsoleView {
      return { lines: [...kept], total, omitted };
    },
  };
}

function cut(line: string): string {
  if (line.length <= CONSOLE_LINE_CHARS) return line;
  return `${line.slice(0, CONSOLE_LINE_CHARS)}… (${line.length - CONSOLE_LINE_CHARS} more characters)`;
}
