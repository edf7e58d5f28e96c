#!/usr/bin/env node
// `npm run kafka [-- --port 9092]`: a single-node Kafka broker for development.
// Fetches the jars once (Maven), formats a fresh log directory, starts the
// broker, prints its bootstrap address, and stops it (deleting its data) on Ctrl-C.
import { parseArgs } from 'node:util';
import { startBroker } from './kafka/broker.mjs';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '9092' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not '${values.port}'.`);
  process.exit(2);
}

let broker;
try {
  broker = await startBroker({ port, log: (line) => console.log(line) });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (broker.port !== port && port !== 0) {
  console.log(`Port ${port} is taken; using ${broker.port} instead.`);
}
const fetched = broker.fetched ? ` (jars fetched in ${(broker.fetchMs / 1000).toFixed(1)} s)` : '';
console.log(
  `Kafka ${broker.version} is running in ${(broker.startMs / 1000).toFixed(1)} s${fetched}.`,
);
console.log(`Bootstrap servers: ${broker.bootstrap}`);
console.log(`Logs and data: ${broker.logDir} (deleted when it stops)`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Kafka…');
  await broker.stop();
  process.exit(0);
};
broker.exited.then((code) => {
  if (stopping) return;
  console.error(`Kafka stopped by itself (exit code ${code}); see ${broker.logDir}/server.log.`);
  process.exit(1);
});
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
