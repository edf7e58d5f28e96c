// The worker-thread entry of a what-if replay: recorded records run through
// a branch of a pipeline (see the engine's replay), in a thread of its own
// with a bounded heap, so an edit that spins or eats memory takes only this
// thread down. It touches nothing of the real job: its sources are files in
// a temporary directory, its sinks captures.
import { parentPort, workerData } from 'node:worker_threads';
import type { ReplayInput, ReplayResult } from '@sluice/engine';
import type { Pipeline } from '@sluice/shared';

export interface ReplayRequest {
  readonly runs: readonly {
    readonly pipeline: Pipeline;
    readonly inputs: readonly ReplayInput[];
  }[];
  readonly maxOutOfOrderness: string;
}

export type ReplayReply =
  | { readonly ok: true; readonly results: ReplayResult[] }
  | { readonly ok: false; readonly problem: string };

const request = workerData as ReplayRequest;
const { replay } = await import('@sluice/engine');
let reply: ReplayReply;
try {
  const results: ReplayResult[] = [];
  for (const run of request.runs) {
    results.push(
      // Its input files go in a fresh directory of the OS's, removed after.
      await replay(run.pipeline, run.inputs, { maxOutOfOrderness: request.maxOutOfOrderness }),
    );
  }
  reply = { ok: true, results };
} catch (error) {
  reply = { ok: false, problem: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(reply);
