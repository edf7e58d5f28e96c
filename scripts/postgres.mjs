#!/usr/bin/env node
// `npm run postgres [-- --port 5432]`: a PostgreSQL server for development, in a
// fresh private folder, on 127.0.0.1. Prints how to connect and how to give
// Sluice its password as a secret; stops it (deleting its data) on Ctrl-C.
import { parseArgs } from 'node:util';
import { startPostgres } from './postgres/server.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5432' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not '${values.port}'.`);
  process.exit(2);
}
let server;
try {
  server = await startPostgres({ port });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (server.port !== port && port !== 0) console.log(`Port ${port} is taken; using ${server.port}.`);
console.log(
  `PostgreSQL ${server.version} is running in ${(server.startMs / 1000).toFixed(1)} s, data in ${server.dir} (deleted when it stops).

  host 127.0.0.1, port ${server.port}, database ${server.database}, user ${server.user}
  psql ${server.url}

A PostgreSQL sink names its password as a secret; start Sluice with it in the environment:

  SLUICE_SECRET_POSTGRES_PASSWORD='${server.password}' npm start

Ctrl-C stops the server.`,
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping PostgreSQL…');
  await server.stop();
  process.exit(0);
};
server.exited.then((code) => {
  if (stopping) return;
  console.error(`PostgreSQL stopped by itself (exit code ${code}).`);
  process.exit(1);
});
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
