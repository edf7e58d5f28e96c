// Decorates `app.jobs`, the jobs, recorded in the server's database with their
// checkpoints in state/checkpoints/<job id>/. On start the jobs that were
// running when the server stopped or died resume; closing the server stops
// each one cleanly with a last checkpoint, to resume on the next start.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { JobManager, type JobManagerOptions } from '../jobs/manager.js';
import { Secrets } from '../secrets.js';
import { JobStore } from '../storage/job-store.js';
import { DATABASE_FILE } from './storage.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Starts, lists, watches, stops and resumes jobs, each in its own worker thread. */
    jobs: JobManager;
  }
}

export interface JobsPluginOptions
  extends Omit<JobManagerOptions, 'records' | 'checkpointsDir' | 'warn' | 'secrets'> {
  /** The server's private folder: the database, and the jobs' checkpoints. */
  readonly stateDir: string;
}

export const CHECKPOINTS_DIR = 'checkpoints';

export const jobsPlugin = fp(
  async (app: FastifyInstance, { stateDir, ...options }: JobsPluginOptions) => {
    const records = new JobStore(join(stateDir, DATABASE_FILE));
    const checkpointsDir = join(stateDir, CHECKPOINTS_DIR);
    mkdirSync(checkpointsDir, { recursive: true, mode: 0o700 });
    const jobs = new JobManager({
      ...options,
      records,
      checkpointsDir,
      secrets: new Secrets(stateDir),
      warn: (message) => app.log.warn(message),
    });
    try {
      jobs.restore();
    } catch (error) {
      records.close();
      throw error;
    }
    app.decorate('jobs', jobs);
    app.addHook('onClose', async () => {
      await jobs.close();
      records.close();
    });
  },
  { name: 'sluice-jobs' },
);
