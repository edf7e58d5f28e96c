#!/usr/bin/env node
// `npm run bench:kafka-ceiling [-- --messages 3000000 --record-size 256 --runs 3]`:
// how fast Kafka's own Java consumer (ConsumerPerformance, from the kafka-tools jar)
// reads one partition of small messages from a broker on this machine, with no
// decoding and no processing: the most any client here, in any language, could
// feed a query. 256 bytes is a Nexmark bid as JSON. Starts its own broker on
// 127.0.0.1 and stops it.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureMavenJars } from '../maven-jars.mjs';
import { ensureKafkaJars, KAFKA_VERSION, startBroker } from './broker.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '3000000' },
    'record-size': { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
  },
});
const messages = Number(values.messages);
const size = Number(values['record-size']);
const runs = Number(values.runs);
for (const [name, n] of [
  ['--messages', messages],
  ['--record-size', size],
  ['--runs', runs],
]) {
  if (!Number.isSafeInteger(n) || n <= 0) {
    console.error(`${name} must be a whole number above 0.`);
    process.exit(2);
  }
}

const { libs } = await ensureKafkaJars((line) => console.error(line));
const { libs: tools } = await ensureMavenJars({
  pom: join(HERE, 'tools-pom.xml'),
  libs: join(dirname(libs), 'tools'),
  what: `Kafka ${KAFKA_VERSION}'s tools`,
  log: (line) => console.error(line),
});
const load = loadavg().map((l) => l.toFixed(2));
const broker = await startBroker();
/** Runs one of Kafka's tools; its output lines, or an error with them. */
function tool(name, args) {
  const result = spawnSync(
    'java',
    ['-Xmx1g', '-cp', `${tools}/*:${libs}/*`, `org.apache.kafka.tools.${name}`, ...args],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim());
  if (result.status !== 0) throw new Error(`${name} failed:\n${lines.slice(-20).join('\n')}`);
  return lines;
}
try {
  const bootstrap = ['--bootstrap-server', broker.bootstrap];
  tool('TopicCommand', [...bootstrap, '--create', '--topic', 'ceiling', '--partitions', '1']);
  tool('ProducerPerformance', [
    '--topic',
    'ceiling',
    '--num-records',
    String(messages),
    '--record-size',
    String(size),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${broker.bootstrap}`,
    'acks=1',
    'linger.ms=20',
    'batch.size=262144',
  ]);
  const rates = [];
  for (let run = 0; run < runs; run++) {
    const lines = tool('ConsumerPerformance', [
      ...bootstrap,
      '--topic',
      'ceiling',
      '--messages',
      String(messages),
      '--group',
      `ceiling-${run}`,
      '--timeout',
      '120000',
    ]);
    // The header names the columns; the line after it has the figures.
    const header = lines.findIndex((l) => l.startsWith('start.time'));
    const names = lines[header].split(',').map((s) => s.trim());
    const figures = lines[header + 1].split(',').map((s) => s.trim());
    const rate = Number(figures[names.indexOf('fetch.nMsg.sec')]);
    rates.push(rate);
    console.error(`run ${run + 1}: ${Math.round(rate).toLocaleString('en')} messages/s`);
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
  console.log(
    `${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model?.trim()} · load ${load.join(' ')} at the start · Kafka ${KAFKA_VERSION}`,
  );
  console.log(
    `Kafka's Java consumer, ${messages.toLocaleString('en')} messages of ${size} bytes on 1 partition: ${rates.map((r) => Math.round(r).toLocaleString('en')).join(', ')} messages/s, median ${Math.round(median).toLocaleString('en')} (fetching only: no decoding, no processing)`,
  );
} finally {
  await broker.stop();
}
