// A file → tumbling window → file pipeline and its input, for the tests of
// jobs that survive stops, restarts and crashes: its output, exactly-once,
// must equal an uninterrupted run's whatever happened in between.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const INPUT_FILE = 'durable-in.jsonl';

/** Writes `records` lines into `dir`: keys in bursts, times a little out of order (never late). */
export async function writeDurableInput(dir: string, records = 20_000): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    const ts = new Date(Date.UTC(2024, 0, 1) + i * 100 - (i % 7) * 150).toISOString();
    lines.push(JSON.stringify({ key: `k${(i * 7919) % 13}`, n: i, ts }));
  }
  await writeFile(join(dir, INPUT_FILE), `${lines.join('\n')}\n`);
}

export interface WindowedOptions {
  /** Where the sink writes, under the data directory. */
  readonly out: string;
  /** Records a second the source replays at; full speed when left out. */
  readonly replayRate?: number;
  readonly checkpoints?: { readonly interval?: string; readonly enabled?: boolean };
  readonly name?: string;
  /** The tumbling window's size. Default 5s. */
  readonly windowSize?: string;
}

export function windowedPipeline(options: WindowedOptions) {
  return {
    format: 'sluice.pipeline/v1',
    name: options.name ?? 'Windowed totals',
    settings: { checkpoints: { interval: '100ms', ...options.checkpoints } },
    nodes: [
      {
        id: 'in',
        kind: 'source.file',
        config: {
          path: INPUT_FILE,
          format: 'jsonl',
          ...(options.replayRate === undefined ? {} : { replayRate: options.replayRate }),
          schema: [
            { name: 'key', type: 'string' },
            { name: 'n', type: 'long' },
            { name: 'ts', type: 'timestamp' },
          ],
          eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        },
      },
      {
        id: 'win',
        kind: 'window.aggregate',
        config: {
          window: { type: 'tumbling', size: options.windowSize ?? '5s' },
          groupBy: ['key'],
          aggregates: [
            { name: 'records', fn: 'count' },
            { name: 'total', fn: 'sum', expr: 'n' },
          ],
        },
      },
      { id: 'out', kind: 'sink.file', config: { path: options.out, format: 'jsonl' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'win' },
      { id: 'e2', source: 'win', target: 'out' },
    ],
  };
}
