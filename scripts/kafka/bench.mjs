#!/usr/bin/env node
// `npm run bench:kafka [-- --client both|platformatic|kafkajs --messages 1000000 --runs 3]`
//
// Produces N small JSON messages (about 70 bytes with the key) to a fresh
// 3-partition topic, then consumes them all with a new consumer group from the
// earliest offset, timing the two phases separately, with @platformatic/kafka
// (the client Sluice uses) and/or kafkajs (installed as a devDependency for
// this benchmark only). Each phase runs in its own Node process
// (bench-worker.mjs), so its peak RSS is its own. Results: docs/kafka-benchmark.md.
//
// Without --bootstrap it starts its own broker (scripts/kafka/broker.mjs) on
// 127.0.0.1 and stops it at the end; only loopback addresses are accepted.
//
// Options:
//   --client both|platformatic|kafkajs   (default both)
//   --messages N                         (default 1000000)
//   --runs R                             measured runs per client (default 1); with
//                                        both clients the order alternates per run
//   --warmup N                           messages for one unreported round per client
//                                        first (default 20000; 0 to skip)
//   --batch B                            messages per send() (default 16384)
//   --partitions P                       (default 3)
//   --high-water-mark M                  @platformatic/kafka's consumer stream buffer, in
//                                        messages (default 4096, as the engine's source)
//   --timeout S                          seconds one phase may take (default 180)
//   --time-limit S                       seconds for the whole benchmark (default 1500)
//   --bootstrap host:port                an existing broker on this machine
//   --json FILE                          also write the raw results as JSON
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBroker } from './broker.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const WORKER = join(HERE, 'bench-worker.mjs');
const LABEL = { platformatic: '@platformatic/kafka', kafkajs: 'kafkajs' };

const { values } = parseArgs({
  options: {
    client: { type: 'string', default: 'both' },
    messages: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '16384' },
    partitions: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '180' },
    'time-limit': { type: 'string', default: '1500' },
    'high-water-mark': { type: 'string', default: '4096' },
    bootstrap: { type: 'string' },
    json: { type: 'string' },
  },
});

const clients =
  values.client === 'both'
    ? ['platformatic', 'kafkajs']
    : ['platformatic', 'kafkajs'].includes(values.client)
      ? [values.client]
      : fail(`--client must be platformatic, kafkajs or both (not '${values.client}').`);
const total = positive('messages');
const runs = positive('runs');
const warmup = Number(values.warmup);
const phaseTimeoutS = positive('timeout');
const deadline = Date.now() + positive('time-limit') * 1000;
positive('batch');
positive('partitions');
positive('high-water-mark');

function positive(name) {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive whole number.`);
  return n;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function version(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1].trim() ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
}

/** Runs one phase in a child process; resolves with its RESULT or rejects with the reason. */
function runPhase({ client, phase, bootstrap, topic, messages }) {
  const remainingS = Math.floor((deadline - Date.now()) / 1000);
  if (remainingS < 5) {
    return Promise.reject(
      new Error(
        `Aborted: the benchmark's time limit (--time-limit ${values['time-limit']} s) is used up.`,
      ),
    );
  }
  const timeoutS = Math.min(phaseTimeoutS, remainingS);
  const args = [
    WORKER,
    `--client=${client}`,
    `--phase=${phase}`,
    `--bootstrap=${bootstrap}`,
    `--topic=${topic}`,
    `--messages=${messages}`,
    `--batch=${values.batch}`,
    `--partitions=${values.partitions}`,
    `--timeout=${timeoutS}`,
    `--high-water-mark=${values['high-water-mark']}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    // The worker aborts itself at timeoutS; this is the backstop if it hangs harder.
    const kill = setTimeout(
      () => {
        child.kill('SIGKILL');
        err += `\nAborted: ${client} ${phase} was killed after ${timeoutS + 15} s.`;
      },
      (timeoutS + 15) * 1000,
    );
    child.once('exit', (code) => {
      clearTimeout(kill);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`${LABEL[client]} ${phase} failed (exit ${code}):\n${err.trim()}`));
    });
  });
}

async function round({ client, bootstrap, messages, tag }) {
  const topic = `bench-${client}-${tag}-${Date.now()}`;
  const produced = await runPhase({ client, phase: 'produce', bootstrap, topic, messages });
  const consumed = await runPhase({ client, phase: 'consume', bootstrap, topic, messages });
  if (consumed.count !== messages) {
    throw new Error(`${LABEL[client]} consumed ${consumed.count} of ${messages} messages.`);
  }
  return { client, topic, produce: produced, consume: consumed };
}

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rates = (r) => ({
  msgs: r.count / (r.ms / 1000),
  mbs: r.bytes / 1e6 / (r.ms / 1000),
});

function describeRun(r) {
  const p = rates(r.produce);
  const c = rates(r.consume);
  return (
    `${LABEL[r.client].padEnd(20)} produce ${fmt(r.produce.ms / 1000, 2)} s ${fmt(p.msgs)} msg/s ${fmt(p.mbs, 1)} MB/s, peak RSS ${fmt(r.produce.maxRssMB)} MB | ` +
    `consume ${fmt(r.consume.ms / 1000, 2)} s ${fmt(c.msgs)} msg/s ${fmt(c.mbs, 1)} MB/s, first message after ${fmt(r.consume.firstMs)} ms, peak RSS ${fmt(r.consume.maxRssMB)} MB`
  );
}

/** Markdown table: median and (min–max) over the runs, per client. */
function summary(results) {
  const cell = (xs, digits = 0) => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    return xs.length > 1
      ? `${fmt(median(xs), digits)} (${fmt(lo, digits)}–${fmt(hi, digits)})`
      : fmt(xs[0], digits);
  };
  const lines = [
    '| Client | Runs | Produce msg/s | Produce MB/s | Produce peak RSS (MB) | Consume msg/s | Consume MB/s | Consume peak RSS (MB) | First message (ms) |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const client of clients) {
    const rs = results.filter((r) => r.client === client);
    if (rs.length === 0) continue;
    const p = rs.map((r) => rates(r.produce));
    const c = rs.map((r) => rates(r.consume));
    lines.push(
      `| ${LABEL[client]} ${version(client === 'kafkajs' ? 'kafkajs' : '@platformatic/kafka')} | ${rs.length} | ` +
        `${cell(p.map((x) => x.msgs))} | ${cell(
          p.map((x) => x.mbs),
          1,
        )} | ${cell(rs.map((r) => r.produce.maxRssMB))} | ` +
        `${cell(c.map((x) => x.msgs))} | ${cell(
          c.map((x) => x.mbs),
          1,
        )} | ${cell(rs.map((r) => r.consume.maxRssMB))} | ${cell(rs.map((r) => r.consume.firstMs))} |`,
    );
  }
  return lines.join('\n');
}

const broker = values.bootstrap
  ? undefined
  : await startBroker({ log: (line) => console.log(line) }).catch((error) => fail(error.message));
const bootstrap = values.bootstrap ?? broker.bootstrap;
const stopBroker = () => broker?.stop();
process.once('SIGINT', async () => {
  await stopBroker();
  process.exit(130);
});

const results = [];
let exitCode = 0;
try {
  console.log(
    `Kafka ${broker?.version ?? '(external broker)'} at ${bootstrap}${broker ? ` (started in ${fmt(broker.startMs / 1000, 1)} s)` : ''}`,
  );
  console.log(
    `Machine: ${cpus().length} × ${cpuModel()}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}`,
  );
  console.log(
    `Clients: ${clients.map((c) => `${LABEL[c]} ${version(c === 'kafkajs' ? 'kafkajs' : '@platformatic/kafka')}`).join(', ')}`,
  );
  const sample = `{"id":${total - 1},"category":"books","amount":12.5,"ts":${1714557600000 + total - 1}}`;
  console.log(
    `${fmt(total)} messages per run (e.g. ${sample}, ${sample.length} bytes + a 2–3 byte key), ${values.partitions} partitions, batches of ${values.batch}, ${runs} run(s) per client\n`,
  );
  if (warmup > 0) {
    for (const client of clients) {
      await round({ client, bootstrap, messages: warmup, tag: 'warmup' });
    }
    console.log(`Warm-up: ${fmt(warmup)} messages per client, not counted.`);
  }
  for (let run = 1; run <= runs; run++) {
    // Alternate the order so neither client always runs on the fresher broker.
    const order = run % 2 ? clients : [...clients].reverse();
    for (const client of order) {
      const r = await round({ client, bootstrap, messages: total, tag: `run${run}` });
      results.push({ run, ...r });
      console.log(`run ${run}  ${describeRun(r)}`);
    }
  }
  console.log(
    `\nMedian (min–max) over ${runs} run(s); MB/s counts key + value bytes (10^6):\n${summary(results)}`,
  );
} catch (error) {
  console.error(`\n${error.message}`);
  exitCode = 1;
} finally {
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          kafka: broker?.version,
          node: process.version,
          cpu: cpuModel(),
          cores: cpus().length,
          memoryGiB: totalmem() / 2 ** 30,
          messages: total,
          batch: Number(values.batch),
          partitions: Number(values.partitions),
          results,
        },
        null,
        2,
      )}\n`,
    );
  }
  await stopBroker();
}
process.exit(exitCode);
