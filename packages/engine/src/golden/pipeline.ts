// Pipeline documents for the golden tests, and running them to the end:
// input from JSON Lines files, output read back from a file sink or a preview.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Field, Pipeline, PipelineEdge, PipelineNode } from '@sluice/shared';
import { expect } from 'vitest';
import type { PreviewView } from '../operators/sinks.js';
import { type JobResult, startJob } from '../runtime/job.js';
import type { Row } from './data.js';

export interface Connection {
  readonly from: string;
  readonly to: string;
  readonly fromPort?: string;
  readonly toPort?: string;
}

export function pipeline(nodes: PipelineNode[], connections: Connection[]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'golden',
    nodes,
    edges: connections.map(
      (c, i): PipelineEdge => ({
        id: `e${i + 1}`,
        source: c.from,
        target: c.to,
        ...(c.fromPort ? { sourcePort: c.fromPort } : {}),
        ...(c.toPort ? { targetPort: c.toPort } : {}),
      }),
    ),
  };
}

/** A straight line of nodes: each feeds the next. */
export function chain(...nodes: PipelineNode[]): Pipeline {
  return pipeline(
    nodes,
    nodes.slice(1).map((n, i) => ({ from: nodes[i]!.id, to: n.id })),
  );
}

export function fileSource(
  id: string,
  path: string,
  schema: readonly Field[],
  eventTime?: { field: string; maxOutOfOrderness: string },
): PipelineNode {
  return {
    id,
    kind: 'source.file',
    config: { path, format: 'jsonl', schema: [...schema], ...(eventTime ? { eventTime } : {}) },
  };
}

export const fileSink = (id: string, path: string): PipelineNode => ({
  id,
  kind: 'sink.file',
  config: { path, format: 'jsonl' },
});

export const PREVIEW_CAPACITY = 10_000;

export const preview = (id: string): PipelineNode => ({
  id,
  kind: 'sink.preview',
  config: { capacity: PREVIEW_CAPACITY },
});

export const node = (id: string, kind: string, config: object): PipelineNode => ({
  id,
  kind,
  config: config as PipelineNode['config'],
});

export interface Run {
  readonly result: JobResult;
  /** The rows a preview sink kept (all of them: the test fails if it overflowed), with their event times. */
  preview(id: string): { rows: Row[]; times: number[] };
  /** The `late` metric of a node. */
  late(id: string): number;
}

/** Runs the pipeline to the end; fails the test unless it finished without bad records. */
export async function run(document: Pipeline, dataDir: string): Promise<Run> {
  const job = startJob(document, { dataDir });
  const result = await job.done;
  expect(result.failure).toBeUndefined();
  expect(result.status).toBe('finished');
  expect(job.errors()).toEqual([]);
  return {
    result,
    preview(id) {
      const view = job.inspect(id) as PreviewView;
      expect(view.total, `preview ${id} overflowed`).toBeLessThanOrEqual(PREVIEW_CAPACITY);
      return { rows: view.rows as Row[], times: [...view.times] };
    },
    late(id) {
      const operator = result.metrics.operators.find((o) => o.nodeId === id);
      expect(operator, `no metrics for ${id}`).toBeDefined();
      return operator!.late;
    },
  };
}

/** Reads a JSON Lines file written by a file sink, timestamps back to epoch ms. */
export async function readJsonl(
  dataDir: string,
  path: string,
  timestamps: readonly string[],
): Promise<Row[]> {
  const text = await readFile(join(dataDir, path), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const row = JSON.parse(line) as Row;
      for (const name of timestamps) {
        const value = row[name];
        if (typeof value === 'string') {
          // The sink writes ISO-8601 UTC with milliseconds; anything else is a finding.
          expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          row[name] = Date.parse(value);
        }
      }
      return row;
    });
}

/** Names of the fields of a schema. */
export const names = (fields: readonly Field[]): string[] => fields.map((f) => f.name);
