// Pipelines the job tests run: a keyed, out-of-order generator, and a run to
// the end read back from its preview sink.
import type { Pipeline, PipelineNode } from '@sluice/shared';
import { expect } from 'vitest';
import type { PreviewView } from '../operators/sinks.js';
import { type JobOptions, startJob } from '../runtime/job.js';

/** `count` records with a sequence `n`, a `key` of a, b or c, and `ts` up to `maxDelay` out of order. */
export function keyedDatagen(
  id: string,
  { count, seed, step, maxDelay }: { count: number; seed: number; step: string; maxDelay: string },
): PipelineNode {
  return {
    id,
    kind: 'source.datagen',
    config: {
      count,
      seed,
      fields: [
        { name: 'n', type: 'long', generator: { kind: 'sequence' } },
        { name: 'key', type: 'string', generator: { kind: 'choice', values: ['a', 'b', 'c'] } },
        {
          name: 'ts',
          type: 'timestamp',
          generator: { kind: 'timestamp', start: '2024-01-01T00:00:00Z', step, maxDelay },
        },
      ],
      eventTime: { field: 'ts', maxOutOfOrderness: maxDelay },
    },
  };
}

/** Runs `pipeline` to its end, which must be finished, and returns what its sink `out` kept. */
export async function previewOutput(
  pipeline: Pipeline,
  options: JobOptions = {},
): Promise<PreviewView> {
  const job = startJob(pipeline, options);
  const result = await job.done;
  expect(result.status).toBe('finished');
  return job.inspect('out') as PreviewView;
}
