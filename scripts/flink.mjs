#!/usr/bin/env node
// `npm run flink [-- --rest-port 8081 --gateway-port 8083 --slots 4]`: a local
// Apache Flink session cluster for development: a JobManager (REST API and
// web UI), a TaskManager and the SQL Gateway. Fetches the jars once (Maven),
// prints the addresses, and stops it (deleting its folder) on Ctrl-C.
import { parseArgs } from 'node:util';
import { startFlink } from './flink/cluster.mjs';

const { values } = parseArgs({
  options: {
    'rest-port': { type: 'string', default: '8081' },
    'gateway-port': { type: 'string', default: '8083' },
    slots: { type: 'string', default: '4' },
  },
});
const number = (name, min, max) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}, not '${values[name]}'.`);
    process.exit(2);
  }
  return value;
};
const restPort = number('rest-port', 0, 65535);
const gatewayPort = number('gateway-port', 0, 65535);
const slots = number('slots', 1, 64);

let flink;
try {
  flink = await startFlink({ restPort, gatewayPort, slots, log: (line) => console.log(line) });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (flink.ports.rest !== restPort && restPort !== 0) {
  console.log(`Port ${restPort} is taken; the REST API uses ${flink.ports.rest} instead.`);
}
if (flink.ports.gateway !== gatewayPort && gatewayPort !== 0) {
  console.log(`Port ${gatewayPort} is taken; the SQL Gateway uses ${flink.ports.gateway} instead.`);
}
const fetched = flink.fetched ? ` (jars fetched in ${(flink.fetchMs / 1000).toFixed(1)} s)` : '';
console.log(
  `Flink ${flink.version} is running in ${(flink.startMs / 1000).toFixed(1)} s${fetched}: one TaskManager with ${slots} slots.`,
);
console.log(`REST API and web UI: ${flink.restURL}`);
console.log(
  `SQL Gateway (REST):  ${flink.gatewayURL}  (e.g. POST ${flink.gatewayURL}/v1/sessions)`,
);
console.log(
  "Kafka: start a broker with `npm run kafka` and use its bootstrap address in 'properties.bootstrap.servers'.",
);
console.log(`Config, logs, checkpoints and savepoints: ${flink.dir} (deleted when it stops)`);
console.log('Press Ctrl-C to stop.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Flink…');
  await flink.stop();
  process.exit(0);
};
flink.exited.then(async ({ name, code, signal }) => {
  if (stopping) return;
  stopping = true;
  console.error(
    `The Flink ${name} stopped by itself (${signal ?? `exit code ${code}`}); see ${flink.logDir}/${name}.log. Stopping the rest (keeping ${flink.dir}).`,
  );
  await flink.stop({ keepData: true });
  process.exit(1);
});
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
