// The sinks without files: discard, preview and console.
import type { ConsoleSinkConfig, PreviewSinkConfig } from '@sluice/shared';
import type { Row } from '../batch.js';
import { jsonEncoder } from '../io/encode.js';
import type { Operator, OperatorEnvironment } from '../operator.js';

export function createBlackhole(): Operator {
  return { process() {} };
}

export interface PreviewView {
  readonly fields: readonly { name: string; type: string }[];
  /** The latest rows, oldest first. */
  readonly rows: readonly Row[];
  readonly times: readonly number[];
  /** Rows received in all. */
  readonly total: number;
}

/** Keeps the latest `capacity` results in a ring buffer for the UI. */
export function createPreview(env: OperatorEnvironment): Operator {
  const capacity = (env.node.config as PreviewSinkConfig).capacity ?? 200;
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
      return { fields, rows: out, times: outTimes, total };
    },
  };
}

/** Prints each record as a JSON line, or as aligned columns. */
export function createConsole(env: OperatorEnvironment): Operator {
  const format = (env.node.config as ConsoleSinkConfig).format ?? 'json';
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const encode = jsonEncoder(fields);
  const prefix = `[${env.node.id}] `;
  let printedHeader = false;
  const width = (name: string) => Math.max(name.length, 12);
  return {
    process(batch) {
      let text = '';
      if (format === 'table' && !printedHeader) {
        text += `${prefix}${fields.map((f) => f.name.padEnd(width(f.name))).join(' ')}\n`;
        printedHeader = true;
      }
      for (const row of batch.rows) {
        const values = encode(row);
        text +=
          format === 'json'
            ? `${prefix}${JSON.stringify(values)}\n`
            : `${prefix}${fields.map((f) => String(values[f.name]).padEnd(width(f.name))).join(' ')}\n`;
      }
      env.stdout(text);
    },
  };
}
