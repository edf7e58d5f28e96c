import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  CheckpointFormatError,
  type CheckpointOptions,
  CheckpointStorage,
  checkpointSettings,
  DirectoryLockedError,
  type JobOptions,
  type JobResult,
  lockDirectory,
  PipelineError,
  pipelineFingerprint,
  RestoreError,
  restoreFrom,
  startJob,
} from '@sluice/engine';
import {
  formatTimestamp,
  getOperator,
  hasErrors,
  type JobMetrics,
  type Pipeline,
  readPipeline,
  secretsNamed,
} from '@sluice/shared';
import { SECRETS_FILE, Secrets } from '../secrets.js';
import type { CliIO } from './io.js';

/**
 * `sluice run FILE`: validates, runs until the input ends or Ctrl-C, prints a
 * summary. With a state directory it takes checkpoints there, and a second
 * run with the same directory resumes from the latest one (a kill -9 is
 * recovered so); Ctrl-C takes a last checkpoint before it stops.
 */
export async function runCommand(
  file: string,
  options: { dataDir?: string; stateDir?: string },
  io: CliIO,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (cause) {
    io.stderr(`sluice: cannot read ${file}: ${(cause as Error).message}\n`);
    return 1;
  }
  const read = readPipeline(text);
  if (!read.pipeline || hasErrors(read.diagnostics)) {
    io.stderr(`${file} is not valid:\n`);
    for (const d of read.diagnostics) {
      io.stderr(
        `  ${d.severity} [${d.code}]${d.nodeId ? ` node '${d.nodeId}'` : ''}: ${d.message}\n`,
      );
    }
    return 1;
  }
  const parallelism = read.pipeline.settings?.parallelism ?? 1;
  if (parallelism !== 1) {
    io.stderr(
      `Note: this runs the pipeline as one instance; its Instances (${parallelism}) apply when the server deploys it.\n`,
    );
  }
  const dataDir = resolve(io.cwd, options.dataDir ?? '.');
  // The environment's SLUICE_SECRET_<NAME>, else the state directory's secrets.json.
  const named = secretsNamed(read.pipeline);
  const secrets = new Secrets(
    options.stateDir === undefined ? join(dataDir, '.no-state') : resolve(io.cwd, options.stateDir),
  ).resolve(named.map((s) => s.name));
  if (secrets.missing.length > 0) {
    for (const name of secrets.missing) {
      const where = named.find((s) => s.name === name)!;
      io.stderr(
        `Node '${where.nodeId}' names the secret ${name}, which is not set: run with SLUICE_SECRET_${name} in the environment${options.stateDir === undefined ? '' : `, or add "${name}" to ${join(options.stateDir, SECRETS_FILE)}`}.${secrets.problem ? ` (${secrets.problem})` : ''}\n`,
      );
    }
    return 1;
  }
  const durable =
    options.stateDir === undefined
      ? { options: {}, release: () => {} }
      : await checkpointsIn(resolve(io.cwd, options.stateDir), options.stateDir, read.pipeline, io);
  if (durable === undefined) return 1;
  let job: ReturnType<typeof startJob>;
  try {
    job = startJob(read.pipeline, {
      dataDir,
      stdout: io.stdout,
      secrets: secrets.values,
      ...durable.options,
    });
  } catch (error) {
    durable.release();
    if (error instanceof PipelineError || error instanceof RestoreError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const onAbort = () =>
    void job.stop(durable.options.checkpoints ? { checkpoint: 'checkpoint' } : {});
  io.signal?.addEventListener('abort', onAbort, { once: true });
  const unsubscribe = io.progress
    ? job.subscribe((m) => io.progress?.(progressLine(m)))
    : undefined;
  const result = await job.done;
  durable.release();
  unsubscribe?.();
  io.signal?.removeEventListener('abort', onAbort);
  io.progress?.('');
  io.stderr(summary(read.pipeline.name, result));
  return result.status === 'failed' ? 1 : 0;
}

/**
 * The checkpoint options of a run with a state directory, and the checkpoint
 * to resume from if there is one; the directory is this process's until
 * `release`. Undefined (after saying why) when another process holds it or
 * its checkpoints cannot be used.
 */
async function checkpointsIn(
  dir: string,
  shown: string,
  pipeline: Pipeline,
  io: CliIO,
): Promise<
  | { options: Pick<JobOptions, 'checkpoints' | 'restore' | 'jobId'>; release: () => void }
  | undefined
> {
  const settings = checkpointSettings(pipeline);
  // One job per state directory: its Kafka sinks' transactional ids come from this, so a
  // resumed run fences what the killed one left open, and two directories never meet.
  await mkdir(dir, { recursive: true });
  let release: () => void;
  try {
    release = lockDirectory(dir, shown);
  } catch (error) {
    if (!(error instanceof DirectoryLockedError)) throw error;
    io.stderr(`sluice: ${error.message}\n`);
    return undefined;
  }
  const jobId = `run-${createHash('sha256')
    .update(await realpath(dir))
    .digest('hex')
    .slice(0, 16)}`;
  const storage = new CheckpointStorage(dir, {
    keep: settings.keep,
    onWarning: (message) => io.stderr(`sluice: ${message}\n`),
  });
  const fingerprint = pipelineFingerprint(pipeline);
  let latest: Awaited<ReturnType<CheckpointStorage['latest']>>;
  try {
    latest = await storage.latest();
  } catch (error) {
    release();
    if (!(error instanceof CheckpointFormatError)) throw error;
    io.stderr(`sluice: ${error.message}\n`);
    return undefined;
  }
  if (latest && latest.info.meta.pipeline !== fingerprint) {
    release();
    io.stderr(
      `sluice: the checkpoints in ${shown} were taken of another version of this pipeline (its nodes, their settings or its edges differ), so they cannot be restored into it. Run it with another --state-dir, or remove ${shown} to start from scratch.\n`,
    );
    return undefined;
  }
  if (latest) {
    const { id, kind, createdAt } = latest.info;
    io.stderr(`Resuming from ${kind} ${id}, taken ${formatTimestamp(createdAt)}.\n`);
  }
  const checkpoints: CheckpointOptions | undefined = settings.enabled
    ? {
        intervalMs: settings.intervalMs,
        storage,
        meta: { pipeline: fingerprint, name: pipeline.name },
      }
    : undefined;
  if (!settings.enabled)
    io.stderr(`sluice: checkpoints are off in this pipeline's settings; ${shown} is only read.\n`);
  return {
    options: {
      jobId,
      ...(checkpoints ? { checkpoints } : {}),
      ...(latest ? { restore: restoreFrom(latest) } : {}),
    },
    release,
  };
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k/s` : `${Math.round(n)}/s`);

/** The one-line progress: what the sources (by their kind's category) read, and the job's counts. */
export function progressLine(m: JobMetrics): string {
  const sources = m.operators.filter((o) => getOperator(o.kind)?.category === 'source');
  const inRate = sources.reduce((s, o) => s + o.outPerSecond, 0);
  const watermarks = sources.map((o) => o.watermark).filter((w): w is number => w !== null);
  const watermark = watermarks.length
    ? ` · watermark ${formatTimestamp(Math.min(...watermarks))}`
    : '';
  const conditions = m.operators.flatMap((o) =>
    o.condition === undefined ? [] : [` · ${o.nodeId}: ${o.condition}`],
  );
  return `${(m.uptimeMs / 1000).toFixed(1)}s · in ${count(m.recordsIn)} (${rate(inRate)}) · out ${count(m.recordsOut)} · errors ${count(m.errors)} · late ${count(m.late)}${watermark}${conditions.join('')}`;
}

function summary(name: string, result: JobResult): string {
  const m = result.metrics;
  const seconds = m.uptimeMs / 1000;
  const lines = [
    '',
    `${name}: ${result.status} after ${seconds.toFixed(2)}s`,
    result.failure
      ? `  failed${result.failure.nodeId ? ` at node '${result.failure.nodeId}'` : ''}: ${result.failure.message}`
      : '',
    `  records in ${count(m.recordsIn)} (${rate(seconds > 0 ? m.recordsIn / seconds : 0)}), out ${count(m.recordsOut)}, errors ${count(m.errors)}, late ${count(m.late)}`,
    '',
    `  ${'node'.padEnd(24)} ${'in'.padStart(12)} ${'out'.padStart(12)} ${'errors'.padStart(8)} ${'late'.padStart(8)}`,
    ...m.operators.map(
      (o) =>
        `  ${o.nodeId.padEnd(24)} ${count(o.recordsIn).padStart(12)} ${count(o.recordsOut).padStart(12)} ${count(o.errors).padStart(8)} ${count(o.late).padStart(8)}`,
    ),
    '',
  ];
  return lines.filter((l, i) => l !== '' || i === 0 || lines[i - 1] !== '').join('\n');
}
