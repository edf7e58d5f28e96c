// What a checkpoint costs: snapshots shaped like real state, written and read
// back through the built engine's CheckpointStorage (packages/engine/dist).
//
//   npm run bench:checkpoint [-- --dir /path/on/a/real/disk] [--json]
//
// Per snapshot, the median of 3 runs: the plain-data check and v8.serialize (both on the engine's
// thread), zstd compression (on libuv's pool), write + fsync + rename, sizes,
// and the read back (decompress, then v8.deserialize on the thread). The
// directory defaults to one in the OS temp folder: on tmpfs fsync costs
// nothing, so pass --dir on the disk the server's data lives on.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { CheckpointStorage, checkPlainData } = await import(`${ROOT}packages/engine/dist/index.js`);

const { values } = parseArgs({
  options: { dir: { type: 'string' }, json: { type: 'boolean', default: false } },
});

/** Keyed window accumulators, as an aggregate keeps them: `key|windowStart` → accumulator. */
function accumulators(n) {
  const state = new Map();
  for (let i = 0; i < n; i++) {
    const v = (i * 7919) % 10007;
    state.set(`user-${i % 50_000}|${1_700_000_000_000 + Math.floor(i / 50_000) * 60_000}`, {
      count: (i % 97) + 1,
      sum: v * 1.25,
      min: v - 3,
      max: v + 11,
    });
  }
  return { operators: { 'agg-1': { windows: state } }, sources: { 'src-1': { offset: n } } };
}

/** Rows a join keeps until the watermark passes them, ~6 fields each. */
function joinRows(n) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      auction: 1000 + (i % 5000),
      bidder: 20_000 + ((i * 31) % 100_000),
      price: ((i * 7919) % 100_000) / 100,
      channel: ['web', 'app', 'partner'][i % 3],
      url: `https://shop.example/item/${i % 5000}?ref=${i % 17}`,
      dateTime: 1_700_000_000_000 + i * 13,
    });
  }
  return { operators: { 'join-1': { left: rows, right: [] } } };
}

const cases = [
  ['10 000 accumulators', () => accumulators(10_000)],
  ['100 000 accumulators', () => accumulators(100_000)],
  ['1 000 000 accumulators', () => accumulators(1_000_000)],
  ['100 000 join rows', () => joinRows(100_000)],
];

/** Each case is measured this many times; the table shows the median of each column. */
const RUNS = 3;

async function measure(name, snapshot, store) {
  // The real path first, so the buffers the parts below make are not in its heap.
  const written = await store.write(snapshot, { kind: 'checkpoint', bench: name });
  let started = performance.now();
  const restored = await new CheckpointStorage(store.dir).latest();
  const readDecodeMs = performance.now() - started;
  if (restored?.info.id !== written.id) throw new Error(`${name}: read back the wrong checkpoint`);

  // The parts on their own.
  started = performance.now();
  checkPlainData(snapshot);
  const checkMs = performance.now() - started;
  started = performance.now();
  const raw = serialize(snapshot);
  const serializeMs = performance.now() - started;
  started = performance.now();
  deserialize(raw);
  const deserializeMs = performance.now() - started;
  return {
    checkMs,
    serializeMs,
    onThreadMs: written.serializeMs,
    compressMs: written.encodeMs - written.serializeMs,
    writeFsyncMs: written.writeMs,
    rawBytes: written.rawBytes,
    fileBytes: written.bytes,
    ratio: written.rawBytes / written.bytes,
    readDecodeMs,
    deserializeMs,
  };
}

function median(runs) {
  const row = {};
  for (const column of Object.keys(runs[0])) {
    const sorted = runs.map((r) => r[column]).sort((a, b) => a - b);
    row[column] = Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
  }
  return row;
}

const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'sluice-bench-checkpoint-')));
const results = [];
try {
  for (const [name, make] of cases) {
    const snapshot = make();
    const store = new CheckpointStorage(join(dir, String(results.length)), { keep: 1 });
    // Once untimed, so the first case does not carry the warm-up.
    await store.write(snapshot, { kind: 'checkpoint' });

    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await measure(name, snapshot, store));
    results.push({ snapshot: name, ...median(runs) });
  }
} finally {
  if (values.dir === undefined) await rm(dir, { recursive: true, force: true });
}

if (values.json) {
  console.log(JSON.stringify({ node: process.version, cpus: cpus().length, results }, null, 2));
} else {
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${dir}`);
  console.table(results);
  console.log(
    'checkMs: plain-data check alone; serializeMs: v8.serialize alone; onThreadMs: both, as ' +
      'write() spends them before it returns; readDecodeMs: latest() on a new storage ' +
      '(read, sha256, decompress, deserialize); deserializeMs: v8.deserialize alone.',
  );
}
