// Decorates `app.jobs`, the running jobs; closing the server stops each one cleanly.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { JobManager, type JobManagerOptions } from '../jobs/manager.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Starts, lists, watches and stops jobs, each in its own worker thread. */
    jobs: JobManager;
  }
}

export const jobsPlugin = fp(
  async (app: FastifyInstance, options: JobManagerOptions) => {
    const jobs = new JobManager(options);
    app.decorate('jobs', jobs);
    app.addHook('onClose', async () => {
      await jobs.close();
    });
  },
  { name: 'sluice-jobs' },
);
