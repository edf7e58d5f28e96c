// Opens the pipeline store on <dataDir>/state/sluice.db for the app's lifetime.
import { join } from 'node:path';
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
    const store = new PipelineStore(join(stateDir(options), DATABASE_FILE));
    app.decorate('store', store);
    app.addHook('onClose', async () => store.close());
  },
  { name: 'sluice-storage' },
);
