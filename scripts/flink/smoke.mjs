#!/usr/bin/env node
// `node scripts/flink/smoke.mjs [--verbose] [--keep]`: an end-to-end check of the local
// Flink cluster. Starts Flink (scripts/flink/cluster.mjs) and a Kafka broker
// (scripts/kafka/broker.mjs), writes JSON records to a topic, runs a windowed
// INSERT through the SQL Gateway's REST API, waits for the job and for its
// output in another topic, reads the per-vertex metrics, then stops the job
// with a savepoint. Bounded in time; stops everything it started. `--verbose`
// prints the REST bodies; `--keep` keeps the Flink folder (config, logs, savepoints).
import { readdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../kafka/broker.mjs';
import { startFlink } from './cluster.mjs';

const { values } = parseArgs({
  options: {
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const TOTAL_TIMEOUT_MS = 300_000;
const SOURCE = 'sluice-flink-smoke-in';
const SINK = 'sluice-flink-smoke-out';
const RECORDS = 60;

const started = performance.now();
const say = (line) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);
const show = (label, body) => {
  if (values.verbose)
    console.log(`  ${label}: ${JSON.stringify(body, null, 2).replace(/\n/g, '\n  ')}`);
};

let flink;
let broker;
let consumer;
let finished = false;
const cleanUp = async () => {
  await consumer?.disconnect().catch(() => {});
  await Promise.all([flink?.stop({ keepData: values.keep }), broker?.stop()]);
  if (flink && values.keep) console.log(`Kept ${flink.dir}`);
};
const watchdog = setTimeout(async () => {
  console.error(`Smoke check took longer than ${TOTAL_TIMEOUT_MS / 1000} s; stopping.`);
  await cleanUp();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
const onSignal = async () => {
  await cleanUp();
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const [f, b] = await Promise.all([startFlink({ log: say }), startBroker({ log: say })]);
  flink = f;
  broker = b;
  say(
    `Flink ${flink.version} up in ${(flink.startMs / 1000).toFixed(1)} s: REST ${flink.restURL}, SQL Gateway ${flink.gatewayURL}`,
  );
  say(
    `Kafka ${broker.version} up in ${(broker.startMs / 1000).toFixed(1)} s at ${broker.bootstrap}`,
  );
  say(`Memory after start: ${await memory(flink.pids)}`);

  // The web UI is served on the REST port (flink-runtime-web).
  const index = await fetch(`${flink.restURL}/`);
  const html = await index.text();
  check(index.ok && html.includes('<html'), `the web UI at ${flink.restURL}/ answers`);

  // Input: RECORDS events 200 ms of event time apart, over 3 accounts.
  const kafka = new Kafka({
    brokers: [broker.bootstrap],
    clientId: 'sluice-flink-smoke',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: SOURCE, numPartitions: 1 },
      { topic: SINK, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const base = Date.UTC(2026, 0, 1, 12, 0, 0);
  const accounts = ['ada', 'bob', 'cy'];
  await producer.send({
    topic: SOURCE,
    messages: Array.from({ length: RECORDS }, (_, i) => ({
      value: JSON.stringify({
        account: accounts[i % accounts.length],
        amount: i + 1,
        ts: sqlTimestamp(base + i * 200),
      }),
    })),
  });
  await producer.disconnect();
  say(`Wrote ${RECORDS} JSON records to ${SOURCE} (12 s of event time)`);

  // SQL through the gateway.
  const gateway = (path, init) => call(flink.gatewayURL, path, init);
  const session = await gateway('/v1/sessions', {
    method: 'POST',
    body: {
      sessionName: 'sluice-smoke',
      properties: { 'execution.checkpointing.interval': '2s', 'pipeline.name': 'sluice-smoke' },
    },
  });
  show('POST /v1/sessions', session);
  const sessionHandle = session.sessionHandle;
  const run = async (statement) => {
    const { operationHandle } = await gateway(`/v1/sessions/${sessionHandle}/statements`, {
      method: 'POST',
      body: { statement },
    });
    const results = await fetchResults(gateway, sessionHandle, operationHandle);
    show(`result of ${statement.split('\n')[0]}`, results);
    return results;
  };
  await run(`CREATE TABLE src (
    account STRING,
    amount INT,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
  ) WITH (
    'connector' = 'kafka',
    'topic' = '${SOURCE}',
    'properties.bootstrap.servers' = '${broker.bootstrap}',
    'properties.group.id' = 'sluice-flink-smoke',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
  )`);
  await run(`CREATE TABLE sink (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    account STRING,
    events BIGINT,
    total INT
  ) WITH (
    'connector' = 'kafka',
    'topic' = '${SINK}',
    'properties.bootstrap.servers' = '${broker.bootstrap}',
    'format' = 'json'
  )`);
  const insert = await run(`INSERT INTO sink
    SELECT window_start, window_end, account, COUNT(*) AS events, SUM(amount) AS total
    FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '1' SECOND))
    GROUP BY window_start, window_end, account`);
  // The INSERT's only result row is the job id; newer API versions also give it as `jobID`.
  const jobId = insert.jobID ?? insert.results.data[0].fields[0];
  check(/^[0-9a-f]{32}$/.test(jobId), `the INSERT gives a job id (${jobId})`);

  // The job in the REST API.
  const rest = (path, init) => call(flink.restURL, path, init);
  const running = await poll('the job to run', async () => {
    const overview = await rest('/jobs/overview');
    const job = overview.jobs.find((j) => j.jid === jobId);
    return job?.state === 'RUNNING' && job.tasks.running === job.tasks.total ? overview : undefined;
  });
  show('GET /jobs/overview', running);
  const job = await rest(`/jobs/${jobId}`);
  show(`GET /jobs/${jobId}`, job);
  check(job.vertices.length > 0, `GET /jobs/{id} lists ${job.vertices.length} vertices`);
  for (const v of job.vertices) say(`  vertex ${v.id}: ${v.name} (parallelism ${v.parallelism})`);

  // Output in the sink topic.
  consumer = kafka.consumer({ groupId: `sluice-flink-smoke-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: SINK, fromBeginning: true });
  const output = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      output.push(JSON.parse(message.value.toString()));
    },
  });
  // 12 s of events in 1 s windows; with the 1 s watermark delay, windows ending at 1..10 s close: 3 accounts each.
  await poll(
    'windowed output in the sink topic',
    async () => (output.length >= 30 ? true : undefined),
    60_000,
  );
  const events = output.reduce((sum, row) => sum + row.events, 0);
  say(
    `Read ${output.length} window results (${events} events) from ${SINK}, e.g. ${JSON.stringify(output[0])}`,
  );
  check(
    output.every((row) => row.window_start && row.window_end && row.events >= 1),
    'every window row is complete',
  );
  await consumer.disconnect();
  consumer = undefined;

  // Metrics per vertex: records in/out, backpressure, watermarks. The REST API
  // serves them from a store that it refreshes every metrics.fetcher.update-interval.
  const wanted = [
    'numRecordsIn',
    'numRecordsOut',
    'numRecordsInPerSecond',
    'numRecordsOutPerSecond',
    'currentInputWatermark',
    'busyTimeMsPerSecond',
    'backPressuredTimeMsPerSecond',
    'idleTimeMsPerSecond',
  ];
  // A request returns the store as it is and starts a refresh in the background:
  // ask once, then read after the refresh.
  await rest(`/jobs/${jobId}/vertices/${job.vertices[0].id}/subtasks/metrics?get=numRecordsOut`);
  await new Promise((r) => setTimeout(r, 1500));
  for (const v of job.vertices) {
    const ids = await rest(`/jobs/${jobId}/vertices/${v.id}/metrics`);
    // Vertex metric ids are `<subtask>.<name>`, e.g. `0.numRecordsIn`, `0.Source__src[1].currentOutputWatermark`.
    const names = new Set(ids.map((m) => m.id.replace(/^\d+\./, '')));
    const present = wanted.filter((name) => names.has(name));
    const operatorWatermarks = [...names].filter((name) =>
      name.endsWith('.currentOutputWatermark'),
    );
    const subtasks = await rest(
      `/jobs/${jobId}/vertices/${v.id}/subtasks/metrics?get=${[...present, ...operatorWatermarks].map(encodeURIComponent).join(',')}&agg=min,max,sum`,
    );
    const perSubtask = await rest(
      `/jobs/${jobId}/vertices/${v.id}/metrics?get=${present.map((name) => `0.${name}`).join(',')}`,
    );
    const watermarks = await rest(`/jobs/${jobId}/vertices/${v.id}/watermarks`);
    const backpressure = await rest(`/jobs/${jobId}/vertices/${v.id}/backpressure`);
    show(`GET /jobs/{id}/vertices/${v.id}/metrics (${ids.length} ids, first 12)`, ids.slice(0, 12));
    show(`GET /jobs/{id}/vertices/${v.id}/metrics?get=0.numRecordsIn,…`, perSubtask);
    show(`GET /jobs/{id}/vertices/${v.id}/subtasks/metrics?get=…&agg=min,max,sum`, subtasks);
    show(`GET /jobs/{id}/vertices/${v.id}/watermarks`, watermarks);
    show(`GET /jobs/{id}/vertices/${v.id}/backpressure`, backpressure);
    const sum = (name) => subtasks.find((m) => m.id === name)?.sum;
    const outWatermark = operatorWatermarks.length
      ? subtasks.find((m) => m.id === operatorWatermarks.at(-1))?.min
      : undefined;
    say(
      `  ${v.name}: numRecordsIn ${sum('numRecordsIn')}, numRecordsOut ${sum('numRecordsOut')}, ` +
        `input watermark ${watermarks[0]?.value ?? 'none (a source)'}, last operator's output watermark ${outWatermark}, ` +
        `backpressure ${backpressure.backpressureLevel} (busy ${backpressure.subtasks?.[0]?.busyRatio})`,
    );
    if (v === job.vertices[0])
      check(sum('numRecordsOut') > 0, 'the source vertex reports numRecordsOut');
  }
  const refreshed = await rest(`/jobs/${jobId}`);
  for (const v of refreshed.vertices) {
    const m = v.metrics;
    say(
      `  GET /jobs/{id} metrics of ${v.name.split(' ')[0]}…: read-records ${m['read-records']}, write-records ${m['write-records']}, busy ${m['accumulated-busy-time']} ms`,
    );
  }
  const checkpoints = await rest(`/jobs/${jobId}/checkpoints`);
  show(`GET /jobs/${jobId}/checkpoints (counts, latest)`, {
    counts: checkpoints.counts,
    latest: checkpoints.latest,
  });
  for (const c of checkpoints.history.filter((h) => h.status === 'FAILED')) {
    say(`  checkpoint ${c.id} failed: ${c.failure_message}`);
  }
  say(`Checkpoints completed so far: ${checkpoints.counts.completed}`);
  say(`Memory with the job running: ${await memory(flink.pids)}`);

  // Stop with a savepoint.
  const trigger = await rest(`/jobs/${jobId}/stop`, { method: 'POST', body: { drain: false } });
  show(`POST /jobs/${jobId}/stop`, trigger);
  const savepoint = await poll('the savepoint', async () => {
    const status = await rest(`/jobs/${jobId}/savepoints/${trigger['request-id']}`);
    return status.status.id === 'COMPLETED' ? status : undefined;
  });
  show(`GET /jobs/${jobId}/savepoints/{triggerId}`, savepoint);
  check(
    !savepoint.operation['failure-cause'],
    `the savepoint completed at ${savepoint.operation.location}`,
  );
  const savepointDir = new URL(savepoint.operation.location).pathname;
  const files = await readdir(savepointDir);
  check(
    files.includes('_metadata'),
    `the savepoint folder holds _metadata (${files.length} files)`,
  );
  const stopped = await poll('the job to finish', async () => {
    const state = await rest(`/jobs/${jobId}`);
    return ['FINISHED', 'CANCELED', 'FAILED'].includes(state.state) ? state : undefined;
  });
  check(stopped.state === 'FINISHED', `the job ended ${stopped.state}`);

  await gateway(`/v1/sessions/${sessionHandle}`, { method: 'DELETE' });
  finished = true;
} catch (error) {
  console.error(`\nSmoke check failed: ${error.stack ?? error.message}`);
  if (flink) {
    for (const name of ['jobmanager', 'taskmanager', 'sql-gateway']) {
      const text = await readFile(`${flink.logDir}/${name}.log`, 'utf8').catch(() => '');
      const problems = text
        .split('\n')
        .filter((line) => / (ERROR|WARN) /.test(line))
        .slice(-10);
      if (problems.length)
        console.error(`--- ${name}.log (last warnings) ---\n${problems.join('\n')}`);
    }
  }
} finally {
  const stopAt = performance.now();
  await cleanUp();
  clearTimeout(watchdog);
  say(`Stopped Flink and Kafka in ${((performance.now() - stopAt) / 1000).toFixed(1)} s`);
}
console.log(finished ? 'Flink smoke check passed.' : 'Flink smoke check FAILED.');
process.exit(finished ? 0 : 1);

function check(ok, what) {
  if (!ok) throw new Error(`Expected ${what}`);
  say(`ok: ${what}`);
}

/** A JSON request; throws with the body on an error status. */
async function call(base, path, init = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: init.body ? { 'content-type': 'application/json' } : {},
    body: init.body ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path}: ${response.status} ${(body.errors ?? [text]).join('\n').slice(0, 3000)}`,
    );
  }
  return body;
}

/** Polls an operation's first result page until it is ready (PAYLOAD or EOS). */
async function fetchResults(gateway, session, operation) {
  return poll('a statement result', async () => {
    const page = await gateway(
      `/v1/sessions/${session}/operations/${operation}/result/0?rowFormat=JSON`,
    );
    return page.resultType === 'NOT_READY' ? undefined : page;
  });
}

async function poll(what, attempt, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await attempt();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Resident memory of each JVM, from /proc (Linux). */
async function memory(pids) {
  const parts = await Promise.all(
    Object.entries(pids).map(async ([name, pid]) => {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      return [name, kb];
    }),
  );
  const total = parts.reduce((sum, [, kb]) => sum + (kb || 0), 0);
  return `${parts.map(([name, kb]) => `${name} ${kb ? Math.round(kb / 1024) : '?'} MB`).join(', ')}; ${Math.round(total / 1024)} MB in all`;
}

function sqlTimestamp(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
