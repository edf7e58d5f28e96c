import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The canvas is served by the Sluice server on the same origin; in `vite dev`
// the API, the sign-in link and the API docs are proxied to a local server.
const server = 'http://127.0.0.1:4800';

export default defineConfig({
  plugins: [react()],
  // Build @sluice/shared from its TypeScript source, as the other packages do in tests.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: {
    // ws: the live view's WebSocket (/api/jobs/:id/live) goes through the proxy too.
    proxy: { '/api': { target: server, ws: true }, '/login': server, '/docs': server },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
