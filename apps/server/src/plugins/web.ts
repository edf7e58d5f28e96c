// Serves the built web app (apps/web/dist) to anyone, at `/` and at every
// pipeline's address: it holds no secrets, and every API call it makes needs the token. Without a built app, `/`
// leads to the API documentation instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export async function webPlugin(app: FastifyInstance, options: { webRoot?: string }) {
  // Only this plugin's routes are public (the hook is encapsulated here).
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
  const root = options.webRoot ?? DEFAULT_WEB_ROOT;
  if (existsSync(join(root, 'index.html'))) {
    await app.register(fastifyStatic, { root, wildcard: false, index: 'index.html' });
    // A pipeline's address (`/p/<id>`, from a reload, Back or a shared link) is
    // the same page; what it shows comes from the API, which needs the token.
    app.get('/p/*', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html'),
    );
    return;
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));
}
