// The Nexmark benchmark: runs the queries of examples/nexmark through the
// built engine (packages/engine/dist), one query per process, single-threaded,
// generator included, into a discarding sink. Beside q1, a hand-written loop
// over the same generator measures what the engine costs.
//
//   npm run bench -- --query q1 [--events 10000000] [--json]
//   npm run bench -- --all [--events 10000000] [--json]
//   npm run bench -- --query q5,q7 --rate 100000 --events 20000000 --memory
//   npm run bench -- --query q5,q7 --events 50000000 --checkpoints 10s
//   npm run bench -- --vs flink [--query q0,q1] [--events 5000000] [--rounds 3] [--json]
//
// --rate sets the source's events per second of event time (the examples say
// 10 000 000); --memory also measures the live heap (after a full GC) each
// second, to show whether a query's state stays flat while its windows fire.
// --checkpoints takes a checkpoint at that interval into a temporary folder,
// as a job on the server does, and reports their count, size and duration.
//
// npm run bench gives Node a 32 MB young generation (--max-semi-space-size=32;
// children inherit the flags): with the default, a run sometimes promotes the
// short-lived rows to the old generation and runs at half speed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLES = `${ROOT}examples/nexmark/`;
const ENGINE = `${ROOT}packages/engine/dist/index.js`;
const SHARED = `${ROOT}packages/shared/dist/index.js`;

const { values } = parseArgs({
  options: {
    query: { type: 'string' },
    all: { type: 'boolean', default: false },
    events: { type: 'string' },
    json: { type: 'boolean', default: false },
    rate: { type: 'string' },
    memory: { type: 'boolean', default: false },
    checkpoints: { type: 'string' },
    // Side by side with a local Flink cluster, through Kafka: see bench-flink.mjs.
    vs: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    // Also write the JSON to this file (for docs/bench/, which npm run bench:docs reads).
    out: { type: 'string' },
    // Internal: run only the hand-written loop of --query (in a child of its own).
    hand: { type: 'boolean', default: false },
  },
});
// 10 M by default; 5 M beside Flink, where each event also goes through Kafka.
const events = Number(values.events ?? (values.vs ? '5000000' : '10000000'));
if (!Number.isSafeInteger(events) || events <= 0)
  fail(`--events must be a whole number, not ${values.events}`);

const rate = values.rate === undefined ? undefined : Number(values.rate);
if (rate !== undefined && !(Number.isSafeInteger(rate) && rate > 0))
  fail(`--rate must be a whole number of events per second, not ${values.rate}`);

const queries = readdirSync(EXAMPLES)
  .filter((f) => /^q\d+\.json$/.test(f))
  .map((f) => f.slice(0, -5))
  .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

/**
 * The sources of a document, each with the settings its kind declares:
 * --events and --rate go to every source whose config has `count` and `rate`.
 */
async function sourcesOf(document) {
  const { getOperator } = await import(SHARED);
  return document.nodes.flatMap((node) => {
    const op = getOperator(node.kind);
    return op?.category === 'source' ? [{ node, settings: op.config.properties ?? {} }] : [];
  });
}

/** Checkpoint options for a run with --checkpoints, and what removes their folder. */
async function checkpointing() {
  if (values.checkpoints === undefined) return undefined;
  const { parseDuration } = await import(SHARED);
  const intervalMs = parseDuration(values.checkpoints);
  if (!(intervalMs > 0))
    fail(`--checkpoints must be a duration such as 10s, not ${values.checkpoints}`);
  const { CheckpointStorage } = await import(ENGINE);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-checkpoints-'));
  return {
    options: { intervalMs, storage: new CheckpointStorage(dir) },
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function bench(query) {
  const { startJob } = await import(ENGINE);
  const checkpoints = await checkpointing();
  const document = JSON.parse(readFileSync(`${EXAMPLES}${query}.json`, 'utf8'));
  for (const { node, settings } of await sourcesOf(document)) {
    if (settings.count) node.config = { ...node.config, count: events };
    if (settings.rate && rate) node.config = { ...node.config, rate };
  }
  const loadAverage = loadavg().map((l) => round(l, 2));
  const live = values.memory ? liveHeap() : undefined;
  const heap = peakHeap();
  const started = performance.now();
  const job = startJob(document, {
    metricsIntervalMs: 60_000,
    ...(checkpoints ? { checkpoints: checkpoints.options } : {}),
  });
  const result = await job.done;
  checkpoints?.done();
  const seconds = (performance.now() - started) / 1000;
  const peakHeapBytes = heap.stop();
  const liveHeapMB = live?.stop();
  if (result.status !== 'finished') fail(`${query} ${result.status}: ${result.failure?.message}`);
  const out = {
    query,
    events,
    seconds: round(seconds, 3),
    eventsPerSecond: Math.round(events / seconds),
    peakHeapMB: round(peakHeapBytes / 2 ** 20, 1),
    outputRecords: result.metrics.recordsOut,
    loadAverage,
    ...(rate ? { rate } : {}),
    ...(liveHeapMB ? { liveHeapMB } : {}),
    ...(result.metrics.checkpoints ? { checkpoints: result.metrics.checkpoints } : {}),
  };
  // The hand-written loops are about speed; a memory run leaves them out.
  if (HAND_WRITTEN[query] && !values.memory) {
    // In a process of its own: run after the engine in this one, the loop would
    // inherit the engine's type feedback and heap, and run at half its speed.
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--query',
        query,
        '--events',
        String(events),
        '--hand',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) fail(`the hand-written ${query} failed`);
    const handSeconds = Number(child.stdout);
    out.handWrittenEventsPerSecond = Math.round(events / handSeconds);
    out.ratioToHandWritten = round(out.eventsPerSecond / out.handWrittenEventsPerSecond, 2);
  }
  return out;
}

/**
 * The queries written as plain loops over the same generator, with no engine
 * in between: the same 1 024-event steps, the same output rows, discarded.
 */
const HAND_WRITTEN = {
  q1(generator) {
    const started = performance.now();
    let kept = 0;
    for (let from = 0; from < events; from += 1024) {
      const bids = { rows: [], times: [] };
      generator.fill(from, Math.min(events, from + 1024), undefined, undefined, bids);
      const out = [];
      for (const bid of bids.rows) {
        out.push({
          auction: bid.auction,
          bidder: bid.bidder,
          price: 0.908 * bid.price,
          dateTime: bid.dateTime,
          extra: bid.extra,
        });
      }
      kept += out.length;
    }
    if (kept === 0) fail('the hand-written q1 kept nothing');
    return (performance.now() - started) / 1000;
  },
  q5(generator) {
    // Bids per auction in 10 s windows sliding by 2 s; a window fires once event
    // time reaches its end (the bids come in order), with its auctions at the most.
    const started = performance.now();
    const windows = new Map();
    let kept = 0;
    const fire = (upTo) => {
      for (const [start, counts] of windows) {
        if (start + 10_000 > upTo) continue;
        let most = 0;
        for (const n of counts.values()) if (n > most) most = n;
        const out = [];
        for (const [auction, num] of counts) if (num === most) out.push({ auction, num });
        kept += out.length;
        windows.delete(start);
      }
    };
    for (let from = 0; from < events; from += 1024) {
      const bids = { rows: [], times: [] };
      generator.fill(from, Math.min(events, from + 1024), undefined, undefined, bids);
      for (const bid of bids.rows) {
        const last = bid.dateTime - (bid.dateTime % 2000);
        for (let start = last; start > last - 10_000; start -= 2000) {
          let counts = windows.get(start);
          if (counts === undefined) {
            counts = new Map();
            windows.set(start, counts);
          }
          counts.set(bid.auction, (counts.get(bid.auction) ?? 0) + 1);
        }
      }
      if (bids.times.length > 0) fire(bids.times[bids.times.length - 1]);
    }
    fire(Number.POSITIVE_INFINITY);
    if (kept === 0) fail('the hand-written q5 kept nothing');
    return (performance.now() - started) / 1000;
  },
};

/**
 * The live heap, in MB, after a full GC once a second (and at the end): what
 * the query's state holds, without the garbage that the peak heap includes.
 */
function liveHeap() {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const samples = [];
  const sample = () => {
    gc();
    samples.push(round(getHeapStatistics().used_heap_size / 2 ** 20, 1));
  };
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return samples;
    },
  };
}

/** Samples the used heap every 20 ms (the engine yields to the event loop every ~10 ms). */
function peakHeap() {
  let peak = getHeapStatistics().used_heap_size;
  const timer = setInterval(() => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, getHeapStatistics().used_heap_size);
    },
  };
}

/** The machine and the moment, printed and saved with every result: a figure means nothing without them. */
function machine() {
  return {
    date: new Date().toISOString(),
    cpus: `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}`,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    loadAverage: loadavg().map((l) => round(l, 2)),
    node: process.version,
  };
}

function report(results, at = machine()) {
  const document = { machine: at, results };
  if (values.out) writeFileSync(values.out, `${JSON.stringify(document, null, 2)}\n`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return;
  }
  console.log(
    `${at.date} · Node ${at.node} · ${at.cpus} · ${at.memoryGiB} GB · load ${at.loadAverage.join(' ')} at the start`,
  );
  const rows = results.map((r) => [
    r.query,
    r.events.toLocaleString('en'),
    r.seconds.toFixed(2),
    r.eventsPerSecond.toLocaleString('en'),
    `${r.peakHeapMB} MB`,
    r.ratioToHandWritten === undefined
      ? ''
      : `${r.ratioToHandWritten} of ${r.handWrittenEventsPerSecond.toLocaleString('en')}/s`,
    r.liveHeapMB ? liveSummary(r.liveHeapMB) : '',
    r.checkpoints ? checkpointSummary(r.checkpoints) : '',
    r.loadAverage ? r.loadAverage.join(' ') : '',
  ]);
  const head = [
    'query',
    'events',
    'seconds',
    'events/s',
    'peak heap',
    'vs hand-written',
    'live heap after GC, MB (at 0 25 50 75 100% of the run)',
    'checkpoints',
    'load before',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const line of [head, ...rows])
    console.log(line.map((c, i) => c.padEnd(widths[i])).join('  '));
}

/** How many checkpoints completed, and the last one's size and duration. */
function checkpointSummary(c) {
  if (c.completed === 0) return 'none completed';
  return `${c.completed} (last ${round(c.lastBytes / 1024, 1)} KiB in ${c.lastDurationMs} ms)`;
}

/** The live heap at the start, the quarters and the end of the run. */
function liveSummary(samples) {
  const at = (f) => samples[Math.min(samples.length - 1, Math.round(f * (samples.length - 1)))];
  return [0, 0.25, 0.5, 0.75, 1].map(at).join(' ');
}

function round(value, digits) {
  return Number(value.toFixed(digits));
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

async function main() {
  if (values.vs !== undefined) {
    if (values.vs !== 'flink') fail(`--vs takes flink, not ${values.vs}`);
    const rounds = Number(values.rounds);
    if (!(Number.isInteger(rounds) && rounds > 0))
      fail(`--rounds must be a whole number, not ${values.rounds}`);
    const { benchVsFlink } = await import('./bench-flink.mjs');
    await benchVsFlink({
      queries: values.query?.split(',') ?? [],
      events,
      rounds,
      json: values.json,
      ...(values.out ? { out: values.out } : {}),
    });
    return;
  }
  const list = values.all ? queries : (values.query?.split(',') ?? []);
  for (const query of list)
    if (!queries.includes(query)) fail(`No query ${query}: there are ${queries.join(', ')}.`);
  if (list.length > 1) {
    // One child process per query, so no query inherits another's heap or JIT state.
    const at = machine();
    const results = list.map((query) => {
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--query',
          query,
          '--events',
          String(events),
          ...(rate ? ['--rate', String(rate)] : []),
          ...(values.memory ? ['--memory'] : []),
          ...(values.checkpoints ? ['--checkpoints', values.checkpoints] : []),
          '--json',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) fail(`${query} failed`);
      return JSON.parse(child.stdout).results[0];
    });
    report(results, at);
  } else if (list.length === 1) {
    if (values.hand) {
      const { NexmarkGenerator } = await import(ENGINE);
      const document = JSON.parse(readFileSync(`${EXAMPLES}${values.query}.json`, 'utf8'));
      const [{ node: source }] = await sourcesOf(document);
      const generator = new NexmarkGenerator({
        baseTime: Date.UTC(2026, 0, 1),
        rate: rate ?? source.config.rate,
      });
      process.stdout.write(String(HAND_WRITTEN[values.query](generator)));
      return;
    }
    report([await bench(values.query)]);
  } else {
    fail('Say which query to run (--query q1) or --all.');
  }
}

await main();
