// `npm run bench -- --vs flink [--query q0,q1] [--events 2000000] [--rounds 3] [--json]`:
// Sluice's engine and a local Flink cluster side by side on the same Nexmark
// events. The events are made once by Sluice's generator and written to Kafka
// (one topic per event type, one partition each); then each query, with Kafka
// sources in place of the generator and a discarding sink, runs on one engine
// and then the other, alternating, for every query the compiler maps to Flink
// SQL. Both at parallelism 1, no checkpoints (Flink with its heap state). The
// time counted is from a query's first record read to its last: neither
// engine's start (Flink's planning and deployment, Sluice's worker) is in it.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startFlink } from './flink/cluster.mjs';
import { startBroker } from './kafka/broker.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLES = `${ROOT}examples/nexmark/`;
const POLL_MS = 100;
const RUN_TIMEOUT_MS = 600_000;

export async function benchVsFlink({ queries, events, rounds, json, out }) {
  // The machine's load before anything of the benchmark runs.
  const startLoad = loadavg().map((l) => Number(l.toFixed(2)));
  const startDate = new Date().toISOString();
  const engine = await import(`${ROOT}packages/engine/dist/index.js`);
  const shared = await import(`${ROOT}packages/shared/dist/index.js`);
  const flinkPackage = await import(`${ROOT}packages/flink/dist/index.js`);
  const log = (line) => console.error(line);
  log('Starting Kafka and Flink…');
  // Flink's heap state holds what the queries keep (q7 keeps every bid of a window): a
  // TaskManager of 8 GB, as much as the benchmark's Node process may use of the machine.
  const [broker, cluster] = await Promise.all([
    startBroker(),
    startFlink({ slots: 1, taskManagerMemory: '8192m' }),
  ]);
  let lost;
  void cluster.exited.then((exit) => {
    lost = `the Flink cluster's ${exit.name} ended (code ${exit.code}, signal ${exit.signal}): see ${cluster.logDir}`;
  });
  const client = new flinkPackage.FlinkClient({
    gateway: cluster.gatewayURL,
    rest: cluster.restURL,
  });
  try {
    const all = (queries.length > 0 ? queries : defaultQueries()).map((q) => ({
      query: q,
      document: JSON.parse(readFileSync(`${EXAMPLES}${q}.json`, 'utf8')),
    }));
    // The events, once: every type any query reads.
    const topic = (type) => `nexmark.${type}`;
    const counts = await writeEvents(engine, broker.bootstrap, events, topic, log);

    const runnable = [];
    for (const { query, document } of all) {
      const pipeline = benchPipeline(shared, flinkPackage, document, broker.bootstrap, topic);
      const compiled = flinkPackage.compileToFlinkSql(
        pipeline,
        shared.analyzePipeline(pipeline).schemas,
        { jobName: `bench ${query}` },
      );
      if (!compiled.complete) {
        const why = compiled.diagnostics.find((d) => d.severity === 'error')?.message;
        log(`${query}: not on Flink (${why})`);
        continue;
      }
      const read = sourcesOf(pipeline).reduce((n, s) => n + (counts[s.type] ?? 0), 0);
      runnable.push({ query, pipeline, statements: compiled.statements, read });
    }
    const results = new Map(runnable.map((r) => [r.query, { sluice: [], flink: [] }]));
    for (let round = 1; round <= rounds; round++) {
      for (const r of runnable) {
        const group = `bench-${r.query}-${round}-${Date.now()}`;
        // A query that fails on one engine is said, and the others go on.
        const attempt = async (engine, run) => {
          try {
            return await run();
          } catch (error) {
            log(
              `round ${round} ${r.query}: ${engine} failed: ${String(error.message).split('\n')[0]}`,
            );
            return null;
          }
        };
        const s = await attempt('Sluice', () =>
          runSluice(engine, withGroup(r.pipeline, `${group}-sluice`), r.read),
        );
        const f = await attempt('Flink', () =>
          runFlink(flinkPackage, client, r, `${group}-flink`, r.read),
        );
        if (lost) throw new Error(`The benchmark cannot go on: ${lost}`);
        if (s !== null) results.get(r.query).sluice.push(s);
        if (f !== null) results.get(r.query).flink.push(f);
        log(`round ${round} ${r.query}: Sluice ${fmt(s)} ev/s, Flink ${fmt(f)} ev/s`);
      }
    }
    const rows = runnable.map((r) => {
      const { sluice, flink } = results.get(r.query);
      return {
        query: r.query,
        events: r.read,
        sluice: { runs: sluice, median: median(sluice) },
        flink: { runs: flink, median: median(flink) },
        ratio:
          sluice.length > 0 && flink.length > 0
            ? Number((median(sluice) / median(flink)).toFixed(2))
            : null,
      };
    });
    const machine = {
      date: startDate,
      cpus: `${cpus().length} × ${cpus()[0]?.model?.trim() ?? '?'}`,
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
      loadAverage: startLoad,
      node: process.version,
      flink: cluster.version,
      kafka: broker.version,
      eventsWritten: counts,
      rounds,
    };
    if (out) writeFileSync(out, `${JSON.stringify({ machine, results: rows }, null, 2)}\n`);
    if (json) {
      console.log(JSON.stringify({ machine, results: rows }, null, 2));
    } else {
      console.log(
        `Sluice vs Flink ${cluster.version} (local session cluster, parallelism 1, no checkpoints), Kafka ${broker.version}; ${machine.cpus}, Node ${process.version}, ${machine.date}, load ${machine.loadAverage.join(' ')}; medians of ${rounds}`,
      );
      console.log('query  events      Sluice ev/s   Flink ev/s   Sluice ÷ Flink');
      for (const row of rows) {
        console.log(
          `${row.query.padEnd(6)} ${String(row.events).padEnd(11)} ${fmt(row.sluice.median).padStart(11)}   ${fmt(row.flink.median).padStart(10)}   ${row.ratio}`,
        );
      }
    }
  } finally {
    await Promise.allSettled([cluster.stop(), broker.stop()]);
  }
}

function defaultQueries() {
  return readdirSync(EXAMPLES)
    .filter((f) => /^q\d+\.json$/.test(f))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** Nexmark events from Sluice's generator into one topic per type, through the engine's Kafka sink. */
async function writeEvents(engine, bootstrap, events, topic, log) {
  const admin = new engine.KafkaAdmin({ bootstrap });
  for (const type of ['person', 'auction', 'bid']) await admin.createTopic(topic(type), 1);
  await admin.close();
  const started = performance.now();
  const writer = {
    format: 'sluice.pipeline/v1',
    name: 'Nexmark to Kafka',
    settings: { checkpoints: { enabled: false } },
    nodes: [
      {
        id: 'nexmark',
        kind: 'source.nexmark',
        config: { count: events, rate: 10_000_000, emit: ['person', 'auction', 'bid'] },
      },
      ...['person', 'auction', 'bid'].map((type) => ({
        id: type,
        kind: 'sink.kafka',
        config: {
          bootstrapServers: bootstrap,
          topic: topic(type),
          format: 'json',
          delivery: 'at-least-once',
          compression: 'lz4',
        },
      })),
    ],
    edges: ['person', 'auction', 'bid'].map((type) => ({
      id: type,
      source: 'nexmark',
      sourcePort: type,
      target: type,
    })),
  };
  const job = engine.startJob(writer, { metricsIntervalMs: 60_000 });
  const result = await job.done;
  if (result.status !== 'finished')
    throw new Error(`writing the events failed: ${result.failure?.message}`);
  const counts = Object.fromEntries(
    result.metrics.operators
      .filter((o) => o.kind === 'sink.kafka')
      .map((o) => [o.nodeId, o.recordsIn]),
  );
  log(
    `Wrote ${events} Nexmark events to Kafka in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`,
  );
  return counts;
}

/** The query with Kafka sources of the written topics and a discarding sink, without checkpoints. */
function benchPipeline(shared, flinkPackage, document, bootstrap, topic) {
  const analysis = shared.analyzePipeline(document);
  const rewired = flinkPackage.throughKafka(document, analysis.schemas, {
    bootstrapServers: bootstrap,
    group: 'bench',
    sourceTopic: (_id, port) => topic(port),
    sinkTopic: (id) => id,
  });
  return {
    ...rewired,
    settings: { ...rewired.settings, checkpoints: { enabled: false } },
    nodes: rewired.nodes.map((n) =>
      n.kind === 'sink.kafka' ? { id: n.id, kind: 'sink.blackhole', config: {} } : n,
    ),
  };
}

function sourcesOf(pipeline) {
  return pipeline.nodes
    .filter((n) => n.kind === 'source.kafka')
    .map((n) => ({ id: n.id, type: n.config.topics[0].slice('nexmark.'.length) }));
}

function withGroup(pipeline, group) {
  return {
    ...pipeline,
    nodes: pipeline.nodes.map((n) =>
      n.kind === 'source.kafka' ? { ...n, config: { ...n.config, group: `${group}-${n.id}` } } : n,
    ),
  };
}

/** Events per second from the first record read to the last, on the embedded engine. */
async function runSluice(engine, pipeline, expected) {
  const job = engine.startJob(pipeline, { metricsIntervalMs: 60_000 });
  const sources = new Set(sourcesOf(pipeline).map((s) => s.id));
  const read = () =>
    job
      .metrics()
      .operators.filter((o) => sources.has(o.nodeId))
      .reduce((n, o) => n + o.recordsOut, 0);
  try {
    return await timeReading('Sluice', read, expected);
  } finally {
    await job.stop();
  }
}

/** The same on Flink: the sources' own record counts, from the REST API. */
async function runFlink(flinkPackage, client, r, group, expected) {
  const statements = [
    "SET 'parallelism.default' = '1'",
    ...r.statements.map((s) =>
      s.replace(/'properties\.group\.id' = '[^']*'/, () => `'properties.group.id' = '${group}'`),
    ),
  ];
  const { jobId } = await client.submit(statements);
  try {
    let operators;
    const read = async () => {
      const job = await client.job(jobId);
      if (job.state === 'FAILED')
        throw new Error(`Flink's ${r.query} failed: ${await client.failure(jobId)}`);
      operators ??= (() => {
        const placed = flinkPackage.mapVertices(r.pipeline, job.vertices);
        const list = sourcesOf(r.pipeline)
          .map((s) => placed.get(s.id))
          .filter(Boolean);
        return list.length > 0 ? list : undefined;
      })();
      if (!operators) return 0;
      let total = 0;
      for (const p of operators) {
        const m = await client.vertexMetrics(jobId, p.vertex, [`${p.operator}.numRecordsOut`]);
        total += m[`${p.operator}.numRecordsOut`] ?? 0;
      }
      return total;
    };
    return await timeReading('Flink', read, expected);
  } finally {
    await client.cancel(jobId).catch(() => {});
  }
}

/**
 * Polls the count of records read until it reaches `expected`; the rate over
 * the time between the first poll that saw records and the one that saw all.
 */
async function timeReading(engine, read, expected) {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let first;
  for (;;) {
    const n = await read();
    const now = performance.now();
    if (n > 0 && first === undefined) first = { at: now, n };
    if (n >= expected) {
      const seconds = (now - first.at) / 1000;
      return Math.round((n - first.n) / Math.max(seconds, 0.001));
    }
    if (Date.now() > deadline) throw new Error(`${engine} read ${n} of ${expected} events in time`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fmt(n) {
  if (n === null || n === undefined) return 'failed';
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${Math.round(n / 1e3)} K`;
}
