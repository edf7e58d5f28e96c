// How a job's worker turns what it was started with into the engine's job
// options: the one place they are built. Checkpoints go to the job's own
// folder; a resume reads its checkpoint here, off the server's main thread,
// and refuses one that does not fit, so a job is never half restored.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CheckpointFormatError,
  CheckpointStorage,
  type JobOptions,
  pipelineFingerprint,
  type RestoredCheckpoint,
  restoreFrom,
} from '@sluice/engine';
import { type JobSummary, planUpgrade } from '@sluice/shared';
import { STOP_DRAIN, STOP_SAVEPOINT, type WorkerStart } from './protocol.js';

/** The checkpoint cannot be used: the message says why, in the user's words. */
export class ResumeRefused extends Error {
  override readonly name = 'ResumeRefused';
}

export interface BuiltOptions {
  readonly options: JobOptions;
  readonly restoredFrom?: NonNullable<JobSummary['restoredFrom']>;
}

/** Throws ResumeRefused when the checkpoint to resume from cannot be used. */
export async function jobOptions(
  start: WorkerStart,
  warn: (message: string) => void,
): Promise<BuiltOptions> {
  const base: JobOptions = {
    dataDir: start.dataDir,
    ...(start.dataDirShownAs === undefined ? {} : { dataDirShownAs: start.dataDirShownAs }),
    metricsIntervalMs: start.metricsIntervalMs,
    // The server's job id: the same across restarts and resumes (Kafka's transactional ids).
    jobId: start.jobId,
    ...(start.instance ? { instance: start.instance } : {}),
    ...(start.secrets ? { secrets: start.secrets } : {}),
  };
  const plan = start.checkpoints;
  if (!plan) return { options: base };
  const storage = new CheckpointStorage(plan.dir, { keep: plan.keep, onWarning: warn });
  const options: JobOptions = {
    ...base,
    checkpoints: { intervalMs: plan.intervalMs, storage, meta: plan.meta },
  };
  if (!start.restore) return { options };
  const found = await checkpointToResume(storage, start);
  if (!found) return { options };
  const { id, kind, createdAt } = found.info;
  const before = start.restore.upgradeFrom;
  // The worker plans again from the two versions: the same function, so the same plan the user saw.
  const upgrade = before && { before, plan: planUpgrade(before, start.pipeline) };
  return {
    options: { ...options, restore: { ...restoreFrom(found), ...(upgrade ? { upgrade } : {}) } },
    restoredFrom: { id, kind, at: createdAt },
  };
}

async function checkpointToResume(
  storage: CheckpointStorage,
  start: WorkerStart,
): Promise<RestoredCheckpoint | undefined> {
  const plan = start.restore!;
  const what = plan.from === 'latest' ? 'its latest checkpoint' : `savepoint ${plan.from}`;
  let found: RestoredCheckpoint | undefined;
  try {
    found = plan.from === 'latest' ? await storage.latest() : await storage.read(plan.from);
  } catch (error) {
    if (error instanceof CheckpointFormatError) throw new ResumeRefused(error.message);
    throw new ResumeRefused(
      `The job cannot resume from ${what}: it could not be read (${(error as Error).message}).`,
    );
  }
  if (!found) {
    const other = await otherLayout(start);
    if (other !== undefined) {
      throw new ResumeRefused(
        `The job cannot resume: its checkpoints were taken of it running as ${other === 'one' ? 'one instance' : 'several instances'}, and it runs as ${start.instance?.count ?? 1} now (its Instances are 'auto' on a machine with another number of cores, or were changed). Each instance's state holds its own share of the keys, which cannot be shared out anew: set Instances to what it was, or deploy the pipeline again to start from scratch.`,
      );
    }
    if (plan.required) throw new ResumeRefused('The job has no checkpoint to resume from.');
    return undefined;
  }
  const count = start.instance?.count ?? 1;
  const taken = found.info.meta.instances ?? 1;
  if (taken !== count) {
    throw new ResumeRefused(
      `The job cannot resume from ${found.info.kind} ${found.info.id}: it was taken of the job running as ${taken} instance${taken === 1 ? '' : 's'}, and it runs as ${count} now. Each instance's state holds its own share of the keys, which cannot be shared out anew: set Instances back to ${taken}, or deploy the pipeline again to start from scratch.`,
    );
  }
  if (found.info.meta.pipeline !== pipelineFingerprint(plan.upgradeFrom ?? start.pipeline)) {
    throw new ResumeRefused(
      `The job cannot resume from ${found.info.kind} ${found.info.id}: it was taken of another version of this pipeline (its nodes, their settings or its edges differ). Deploy the pipeline again to start from scratch.`,
    );
  }
  return found;
}

/** How the engine is asked to stop, from the stop flag's value (not 0). */
export function stopOptions(
  flag: number,
  checkpoints: boolean,
): { drain: boolean; checkpoint?: 'checkpoint' | 'savepoint' } {
  const drain = (flag & ~STOP_SAVEPOINT) === STOP_DRAIN;
  if (!checkpoints) return { drain };
  // A plain stop checkpoints too, so exactly-once sinks publish all they were handed.
  return { drain, checkpoint: flag & STOP_SAVEPOINT ? 'savepoint' : 'checkpoint' };
}

/**
 * Whether the job's folder holds checkpoints of another number of instances
 * than this run's: 'one' when it has a single job's (in the folder itself),
 * 'several' when it has instances' (in instance-N folders); undefined when it
 * has none of another kind.
 */
async function otherLayout(start: WorkerStart): Promise<'one' | 'several' | undefined> {
  const dir = start.checkpoints?.dir;
  if (dir === undefined) return undefined;
  const several = (start.instance?.count ?? 1) > 1;
  if (several) {
    // This instance's folder is instance-N inside the job's: a single job's checkpoints are there.
    const single = await new CheckpointStorage(dirname(dir)).list().catch(() => []);
    return single.length > 0 ? 'one' : undefined;
  }
  return existsSync(join(dir, 'instance-0')) ? 'several' : undefined;
}
