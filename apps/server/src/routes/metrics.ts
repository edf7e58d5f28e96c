// Prometheus metrics: per job and operator, read from each job's latest
// snapshot at scrape time (nothing is counted twice), plus Node's process metrics.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CheckpointFigures } from '@sluice/shared';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Type } from 'typebox';
import type { JobHandle } from '../jobs/handle.js';
import type { JobManager } from '../jobs/manager.js';
import { errorResponses } from '../schemas.js';

const STATUSES = ['running', 'finished', 'failed', 'stopped'] as const;
const OPERATOR_LABELS = ['job', 'pipeline', 'node', 'kind'] as const;
const JOB_LABELS = ['job', 'pipeline'] as const;

let processRegistry: Registry | undefined;

/** Process metrics belong to the process, not to one app: registered once. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const pipelineLabel = (job: JobHandle) => job.origin.pipelineId ?? job.pipeline.name;

/** A registry whose series are rebuilt from the jobs' snapshots at every scrape. */
export function jobsRegistry(jobs: JobManager): Registry {
  const registry = new Registry();
  const registers = [registry];

  /** One series per operator of every running job, with `value` read from its latest snapshot. */
  const perOperator = (
    Metric: typeof Counter | typeof Gauge,
    name: string,
    help: string,
    value: (o: NonNullable<JobHandle['metrics']>['operators'][number]) => number | null,
  ) =>
    new Metric({
      name,
      help,
      labelNames: OPERATOR_LABELS,
      registers,
      collect(this: Counter | Gauge) {
        this.reset();
        for (const job of jobs.handles()) {
          if (job.status !== 'running' || !job.metrics) continue;
          for (const o of job.metrics.operators) {
            const v = value(o);
            if (v === null) continue;
            const labels = {
              job: job.id,
              pipeline: pipelineLabel(job),
              node: o.nodeId,
              kind: o.kind,
            };
            if (this instanceof Counter) this.inc(labels, v);
            else this.set(labels, v);
          }
        }
      },
    });

  perOperator(
    Counter,
    'sluice_operator_records_in_total',
    'Records received by the operator (read, for sources)',
    (o) => o.recordsIn,
  );
  perOperator(
    Counter,
    'sluice_operator_records_out_total',
    'Records emitted by the operator',
    (o) => o.recordsOut,
  );
  perOperator(
    Counter,
    'sluice_operator_errors_total',
    'Bad records at the operator',
    (o) => o.errors,
  );
  perOperator(
    Counter,
    'sluice_operator_late_records_total',
    'Records that arrived behind the watermark',
    (o) => o.late,
  );
  perOperator(
    Gauge,
    'sluice_operator_watermark_lag_seconds',
    'How far the watermark is behind processing time',
    (o) => (o.watermarkLagMs === null ? null : o.watermarkLagMs / 1000),
  );
  perOperator(
    Gauge,
    'sluice_operator_state_keys',
    'Keys held in the operator state',
    (o) => o.stateKeys,
  );
  perOperator(
    Gauge,
    'sluice_operator_busy_ratio',
    'Share of the last interval spent in the operator, 0 to 1',
    (o) => o.busy,
  );

  /** One series per running job that checkpoints, read from its latest snapshot's figures. */
  const perCheckpointingJob = (
    Metric: typeof Counter | typeof Gauge,
    name: string,
    help: string,
    value: (c: CheckpointFigures, at: number) => number | null,
  ) =>
    new Metric({
      name,
      help,
      labelNames: JOB_LABELS,
      registers,
      collect(this: Counter | Gauge) {
        this.reset();
        const now = Date.now();
        for (const job of jobs.handles()) {
          const figures = job.metrics?.checkpoints;
          if (job.status !== 'running' || !figures) continue;
          const v = value(figures, now);
          if (v === null) continue;
          const labels = { job: job.id, pipeline: pipelineLabel(job) };
          if (this instanceof Counter) this.inc(labels, v);
          else this.set(labels, v);
        }
      },
    });

  perCheckpointingJob(
    Counter,
    'sluice_job_checkpoints_completed_total',
    'Checkpoints the job made durable since it (re)started',
    (c) => c.completed,
  );
  perCheckpointingJob(
    Counter,
    'sluice_job_checkpoints_failed_total',
    'Checkpoints that could not be written since the job (re)started; it goes on from the last good one',
    (c) => c.failed,
  );
  perCheckpointingJob(
    Gauge,
    'sluice_job_checkpoint_last_duration_seconds',
    'How long the last checkpoint took, from the cut to durable',
    (c) => (c.lastDurationMs === null ? null : c.lastDurationMs / 1000),
  );
  perCheckpointingJob(
    Gauge,
    'sluice_job_checkpoint_last_bytes',
    'The size on disk of the last checkpoint',
    (c) => c.lastBytes,
  );
  perCheckpointingJob(
    Gauge,
    'sluice_job_checkpoint_age_seconds',
    'Seconds since the last checkpoint completed: what a crash now would replay',
    (c, now) => (c.lastAt === null ? null : Math.max(0, now - c.lastAt) / 1000),
  );

  new Gauge({
    name: 'sluice_job_status',
    help: 'The status of each listed job: 1 for its current status, 0 for the others',
    labelNames: [...JOB_LABELS, 'status'],
    registers,
    collect() {
      this.reset();
      for (const job of jobs.handles()) {
        for (const status of STATUSES) {
          this.set(
            { job: job.id, pipeline: pipelineLabel(job), status },
            job.status === status ? 1 : 0,
          );
        }
      }
    },
  });
  new Gauge({
    name: 'sluice_job_uptime_seconds',
    help: 'How long each listed job has run (until it ended)',
    labelNames: JOB_LABELS,
    registers,
    collect() {
      this.reset();
      for (const job of jobs.handles()) {
        this.set({ job: job.id, pipeline: pipelineLabel(job) }, job.summary().uptimeMs / 1000);
      }
    },
  });
  return registry;
}

export async function metricsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const registry = jobsRegistry(app.jobs);
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Metrics in the Prometheus text format: per job and operator, and the process',
        tags: ['system'],
        response: {
          200: Type.String({ description: 'Prometheus text exposition format' }),
          ...errorResponses,
        },
      },
    },
    async (_request, reply) => {
      const text = `${await processMetrics().metrics()}\n${await registry.metrics()}`;
      return reply.type(registry.contentType).send(text);
    },
  );
}
