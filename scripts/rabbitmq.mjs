#!/usr/bin/env node
// `npm run rabbitmq [-- --port 5672]`: a RabbitMQ broker for development, in a
// fresh private folder, on 127.0.0.1. Prints how to connect and how to give
// Sluice its password as a secret; stops it (deleting its data) on Ctrl-C.
import { parseArgs } from 'node:util';
import { startRabbitMQ } from './rabbitmq/server.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5672' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not '${values.port}'.`);
  process.exit(2);
}
let broker;
try {
  broker = await startRabbitMQ({ port });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (broker.port !== port && port !== 0) console.log(`Port ${port} is taken; using ${broker.port}.`);
console.log(
  `RabbitMQ ${broker.version} is running in ${(broker.startMs / 1000).toFixed(1)} s, data in ${broker.dir} (deleted when it stops).

  host 127.0.0.1, port ${broker.port}, user ${broker.user}, virtual host /

A RabbitMQ source or sink names its password as a secret; start Sluice with it in the environment:

  SLUICE_SECRET_RABBITMQ_PASSWORD='${broker.password}' npm start

Ctrl-C stops the broker.`,
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping RabbitMQ…');
  await broker.stop();
  process.exit(0);
};
broker.exited.then((code) => {
  if (stopping) return;
  console.error(`RabbitMQ stopped by itself (exit code ${code}).`);
  process.exit(1);
});
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
