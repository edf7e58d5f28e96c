// Opens the pipeline store on <dataDir>/state/sluice.db for the app's lifetime.
import { join } from 'node:path';
import { lockDirectory } from '@sluice/engine';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { stateDir } from '../config.js';
import { PipelineStore } from '../storage/pipeline-store.js';

export const DATABASE_FILE = 'sluice.db';

declare module 'fastify' {
  interface FastifyInstance {
    /** Pipelines and their saved versions. */
    store: PipelineStore;
  }
}

export const storagePlugin = fp(
  async (app: FastifyInstance, options: { dataDir: string }) => {
    // One server per data directory: two would run and checkpoint the same jobs.
    const release = lockDirectory(stateDir(options), 'The data directory');
    const store = new PipelineStore(join(stateDir(options), DATABASE_FILE));
    app.decorate('store', store);
    app.addHook('onClose', async () => {
      store.close();
      release();
    });
  },
  { name: 'sluice-storage' },
);
