// The sinks without files: discard, preview and console.
export type { ConsoleView, PreviewView } from '@sluice/shared';

import type { ConsoleView, PreviewView, sinkConsole, sinkPreview } from '@sluice/shared';
import type { Row } from '../batch.js';
import { jsonEncoder } from '../io/encode.js';
import type { EnvironmentOf, Operator } from '../operator.js';
import type { Codec } from '../runtime/state.js';

export function createBlackhole(): Operator {
  return { process() {} };
}

/** The latest rows a preview keeps: a ring of `capacity` slots, `size` of them filled. */
interface Ring {
  readonly rows: Row[];
  readonly times: number[];
  /** Rows received so far; the next goes to slot `total % capacity`. */
  total: number;
  size: number;
}

function emptyRing(capacity: number): Ring {
  return { rows: new Array(capacity), times: new Array(capacity), total: 0, size: 0 };
}

/**
 * A ring as its rows in order, oldest first, so a snapshot holds no empty
 * slots and restores into a ring of another capacity (keeping the latest).
 */
function ringCodec(capacity: number): Codec<Ring> {
  return {
    encode(ring) {
      const rows: Row[] = [];
      const times: number[] = [];
      const slots = ring.rows.length;
      for (let i = ring.total - ring.size; i < ring.total; i++) {
        rows.push(ring.rows[i % slots]!);
        times.push(ring.times[i % slots]!);
      }
      return [rows, times, ring.total];
    },
    decode(plain) {
      const [rows, times, total] = plain as [Row[], number[], number];
      const ring = emptyRing(capacity);
      ring.total = total;
      ring.size = Math.min(rows.length, capacity);
      for (let i = rows.length - ring.size; i < rows.length; i++) {
        const at = (total - rows.length + i) % capacity;
        ring.rows[at] = rows[i]!;
        ring.times[at] = times[i]!;
      }
      return ring;
    },
  };
}

/** Keeps the latest `capacity` results in a ring buffer for the UI. */
export function createPreview(env: EnvironmentOf<typeof sinkPreview>): Operator {
  const { capacity } = env.config;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const latest = env.state.cell('latest', emptyRing(capacity), ringCodec(capacity));
  return {
    process(batch) {
      const ring = latest.value;
      const n = batch.rows.length;
      for (let i = Math.max(0, n - capacity); i < n; i++) {
        const at = (ring.total + i) % capacity;
        ring.rows[at] = batch.rows[i]!;
        ring.times[at] = batch.times[i]!;
      }
      ring.total += n;
      ring.size = Math.min(ring.size + n, capacity);
    },
    inspect(): PreviewView {
      const { rows, times, total, size } = latest.value;
      const out: Row[] = [];
      const outTimes: number[] = [];
      for (let i = total - size; i < total; i++) {
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
  const state = env.state;
  /** The latest lines, for the canvas. */
  const kept = state.cell<string[]>('kept', []);
  const printedHeader = state.cell('printedHeader', false);
  const total = state.cell('total', 0);
  const omitted = state.cell('omitted', 0);
  /** When the current second began, by the job's clock, and what was printed and left out in it. */
  const secondStart = state.cell('secondStart', env.clock.now());
  const printedThisSecond = state.cell('printedThisSecond', 0);
  const omittedThisSecond = state.cell('omittedThisSecond', 0);

  const keep = (line: string) => {
    const lines = kept.value;
    lines.push(line);
    if (lines.length > CONSOLE_LINES_KEPT) lines.shift();
  };
  /** The count of what the last second left out, as one line; empty when nothing was. */
  const omissionLine = (): string => {
    if (omittedThisSecond.value === 0) return '';
    const line = `… ${omittedThisSecond.value} records not printed (at most ${CONSOLE_LINES_PER_SECOND} lines a second)`;
    omittedThisSecond.value = 0;
    keep(line);
    return `${prefix}${line}\n`;
  };

  return {
    process(batch) {
      const now = env.clock.now();
      let text = '';
      if (now - secondStart.value >= 1000) {
        text += omissionLine();
        secondStart.value = now;
        printedThisSecond.value = 0;
      }
      if (format === 'table' && !printedHeader.value) {
        text += `${prefix}${fields.map((f) => f.name.padEnd(width(f.name))).join(' ')}\n`;
        printedHeader.value = true;
      }
      const n = batch.rows.length;
      total.value += n;
      const room = Math.min(n, CONSOLE_LINES_PER_SECOND - printedThisSecond.value);
      for (let i = 0; i < room; i++) {
        const line = cut(lineOf(batch.rows[i]!));
        keep(line);
        text += `${prefix}${line}\n`;
      }
      printedThisSecond.value += room;
      omittedThisSecond.value += n - room;
      omitted.value += n - room;
      if (text !== '') env.stdout(text);
    },
    close() {
      const text = omissionLine();
      if (text !== '') env.stdout(text);
    },
    inspect(): ConsoleView {
      return { lines: [...kept.value], total: total.value, omitted: omitted.value };
    },
  };
}

function cut(line: string): string {
  if (line.length <= CONSOLE_LINE_CHARS) return line;
  return `${line.slice(0, CONSOLE_LINE_CHARS)}… (${line.length - CONSOLE_LINE_CHARS} more characters)`;
}
