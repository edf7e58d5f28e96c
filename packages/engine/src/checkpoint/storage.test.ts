import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { zstdCompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../runtime/clock.js';
import { BlockLedger } from './blocks.js';
import {
  CheckpointFormatError,
  CheckpointReadError,
  MAGIC,
  PayloadWriter,
  payloadDigest,
} from './codec.js';
import { SnapshotValueError } from './plain.js';
import { CheckpointStorage, type CheckpointStorageOptions } from './storage.js';

let root: string;
let dir: string;
let clock: ManualClock;
let warnings: string[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sluice-checkpoints-'));
  dir = join(root, 'job-1');
  clock = new ManualClock(1_700_000_000_000);
  warnings = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function storage(options: CheckpointStorageOptions = {}): CheckpointStorage {
  return new CheckpointStorage(dir, { clock, onWarning: (m) => warnings.push(m), ...options });
}

const checkpoint = { kind: 'checkpoint', jobId: 'job-1' } as const;
const savepoint = { kind: 'savepoint', jobId: 'job-1' } as const;

/** Writes one snapshot per kind given, one second apart; gives their ids. */
async function writeAll(store: CheckpointStorage, kinds: ('c' | 's')[]): Promise<number[]> {
  const ids: number[] = [];
  for (const k of kinds) {
    clock.advance(1000);
    const info = await store.write({ n: ids.length }, k === 'c' ? checkpoint : savepoint);
    ids.push(info.id);
  }
  return ids;
}

async function files(): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('CheckpointStorage round trip', () => {
  it('gives back every plain value kind exactly, with the info of the write', async () => {
    const snapshot = {
      numbers: [1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0],
      big: 2n ** 100n,
      negativeBig: -7n,
      text: 'héllo\n\u0000✓',
      flags: [true, false],
      nothing: null,
      missing: undefined,
      bytes: new Uint8Array([0, 1, 254, 255]),
      accumulators: new Map<string, unknown>([
        ['a', { count: 2, sum: 3.5, min: -0, max: Number.POSITIVE_INFINITY }],
        ['b', { count: 0, sum: 0, min: null, max: null }],
      ]),
      keys: new Set(['x', 'y']),
      mapByNumber: new Map([[1, new Set([1n])]]),
      nested: { deeper: [[{ empty: {} }]] },
    };
    const store = storage();
    const meta = {
      kind: 'savepoint',
      jobId: 'j',
      pipelineVersion: 4,
      sluiceVersion: '0.1.0',
    } as const;
    const written = await store.write(snapshot, meta);
    expect(written).toMatchObject({
      id: 1,
      kind: 'savepoint',
      createdAt: 1_700_000_000_000,
      file: 'savepoint-000000000001.ckpt',
      meta,
    });
    expect(written.bytes).toBe((await stat(join(dir, written.file))).size);
    expect(written.rawBytes).toBeGreaterThan(0);
    for (const ms of [written.serializeMs, written.encodeMs, written.writeMs])
      expect(ms).toBeGreaterThanOrEqual(0);

    const restored = await storage().latest();
    expect(restored?.snapshot).toStrictEqual(snapshot);
    const back = restored?.snapshot as typeof snapshot;
    expect(Object.is(back.numbers[5], -0)).toBe(true);
    expect(Object.is((back.accumulators.get('a') as { min: number }).min, -0)).toBe(true);
    expect('missing' in back).toBe(true);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    const { serializeMs, encodeMs, writeMs, ...info } = written;
    expect(restored?.info).toStrictEqual(info);
    expect(warnings).toEqual([]);
  });

  it('gives back an object without prototype as a plain object with the same fields', async () => {
    // v8's format has no null-prototype object: what matters to state, the fields, is kept.
    const store = storage();
    await store.write(
      { bare: Object.assign(Object.create(null), { a: 1, toString: 2 }) },
      checkpoint,
    );
    expect((await store.latest())?.snapshot).toStrictEqual({ bare: { a: 1, toString: 2 } });
  });

  it('writes the value the snapshot had when write was called, not after', async () => {
    const store = storage();
    const state = new Map([['k', { count: 1 }]]);
    const pending = store.write({ state }, checkpoint);
    state.get('k')!.count = 99;
    state.set('later', { count: 5 });
    await pending;
    expect((await store.latest())?.snapshot).toStrictEqual({
      state: new Map([['k', { count: 1 }]]),
    });
  });

  it('makes the directory with mode 0700 and the files with 0600', async () => {
    const info = await storage().write({}, checkpoint);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, info.file))).mode & 0o777).toBe(0o600);
  });

  it('reads one by id, and refuses an id it does not have', async () => {
    const store = storage();
    const [first] = await writeAll(store, ['c', 's', 'c']);
    expect((await store.read(first!)).snapshot).toEqual({ n: 0 });
    await expect(store.read(42)).rejects.toThrow(`there is no checkpoint 42 in ${dir}`);
  });

  it('gives undefined when there is nothing, and makes the directory', async () => {
    expect(await storage().latest()).toBeUndefined();
    expect(await files()).toEqual([]);
  });
});

describe('CheckpointStorage ids and pruning', () => {
  it('continues ids after the newest file in the directory, across instances', async () => {
    expect(await writeAll(storage(), ['c', 'c'])).toEqual([1, 2]);
    expect(await writeAll(storage(), ['s', 'c'])).toEqual([3, 4]);
    // Pruned or unreadable files do not matter: the newest name does.
    await writeFile(join(dir, 'checkpoint-000000000009.ckpt'), 'garbage');
    expect(await writeAll(storage({ keep: 10 }), ['c'])).toEqual([10]);
  });

  it('keeps the newest `keep` checkpoints and every savepoint', async () => {
    const store = storage({ keep: 2 });
    await writeAll(store, ['c', 's', 'c', 'c', 's', 'c', 'c']);
    expect(await files()).toEqual([
      'checkpoint-000000000006.ckpt',
      'checkpoint-000000000007.ckpt',
      'savepoint-000000000002.ckpt',
      'savepoint-000000000005.ckpt',
    ]);
    const list = await store.list();
    expect(list.map((i) => [i.id, i.kind])).toEqual([
      [7, 'checkpoint'],
      [6, 'checkpoint'],
      [5, 'savepoint'],
      [2, 'savepoint'],
    ]);
    expect(list[0]).toMatchObject({ createdAt: 1_700_000_007_000, meta: checkpoint });
  });

  it('keeps 3 checkpoints by default; a savepoint write prunes nothing', async () => {
    const store = storage();
    await writeAll(store, ['c', 'c', 'c', 'c', 's']);
    expect(await files()).toEqual([
      'checkpoint-000000000002.ckpt',
      'checkpoint-000000000003.ckpt',
      'checkpoint-000000000004.ckpt',
      'savepoint-000000000005.ckpt',
    ]);
  });

  it('removes one by id', async () => {
    const store = storage();
    await writeAll(store, ['c', 's']);
    await store.remove(2);
    expect(await files()).toEqual(['checkpoint-000000000001.ckpt']);
    expect((await store.latest())?.info.id).toBe(1);
    await expect(store.remove(2)).rejects.toThrow('there is no checkpoint 2');
  });
});

describe('CheckpointStorage with damaged files', () => {
  /** Writes checkpoints 1 and 2 and gives the path of 2. */
  async function twoCheckpoints(): Promise<string> {
    await writeAll(storage(), ['c', 'c']);
    return join(dir, 'checkpoint-000000000002.ckpt');
  }

  it('skips a truncated newest file with a warning and gives the one before', async () => {
    const newest = await twoCheckpoints();
    const bytes = await readFile(newest);
    await writeFile(newest, bytes.subarray(0, bytes.length - 5));
    const restored = await storage().latest();
    expect(restored?.info.id).toBe(1);
    expect(restored?.snapshot).toEqual({ n: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/checkpoint-000000000002\.ckpt cannot be read: it is cut short/);
  });

  it('skips a file cut inside its header', async () => {
    const newest = await twoCheckpoints();
    await writeFile(newest, (await readFile(newest)).subarray(0, MAGIC.length + 10));
    expect((await storage().latest())?.info.id).toBe(1);
    expect(warnings[0]).toMatch(/000000000002\.ckpt cannot be read: its header is cut short/);
  });

  it('skips a file with a flipped payload byte on its checksum', async () => {
    const newest = await twoCheckpoints();
    const bytes = await readFile(newest);
    bytes[bytes.length - 3]! ^= 0x01;
    await writeFile(newest, bytes);
    expect((await storage().latest())?.info.id).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/000000000002\.ckpt cannot be read: its checksum does not match/);
  });

  it('gives undefined with a warning per file when none can be read', async () => {
    await writeAll(storage(), ['c', 's']);
    await writeFile(join(dir, 'checkpoint-000000000001.ckpt'), '');
    await writeFile(join(dir, 'savepoint-000000000002.ckpt'), 'SLUICE-CHECKPOINT\n{"format":\n');
    expect(await storage().latest()).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /savepoint-000000000002\.ckpt cannot be read: its header is damaged/,
    );
    expect(warnings[1]).toMatch(
      /checkpoint-000000000001\.ckpt cannot be read: it does not start like a Sluice checkpoint/,
    );
  });

  it('skips a file renamed to pass for another', async () => {
    await writeAll(storage(), ['c']);
    const bytes = await readFile(join(dir, 'checkpoint-000000000001.ckpt'));
    await writeFile(join(dir, 'checkpoint-000000000005.ckpt'), bytes);
    expect((await storage().latest())?.info.id).toBe(1);
    expect(warnings[0]).toMatch(/000000000005\.ckpt .*header says it is checkpoint-000000000001/);
  });
});

describe('CheckpointStorage with another format version', () => {
  /** Rewrites the newest file's header to say `format`, leaving the rest as written. */
  async function relabel(format: string): Promise<string> {
    await writeAll(storage(), ['c', 's']);
    const path = join(dir, 'savepoint-000000000002.ckpt');
    const text = (await readFile(path)).toString('latin1');
    await writeFile(path, Buffer.from(text.replace('sluice.checkpoint/v2', format), 'latin1'));
    return path;
  }

  it('refuses a newer format, naming both versions, without falling back to an older file', async () => {
    const path = await relabel('sluice.checkpoint/v3');
    const store = storage();
    const refusal = store.latest();
    await expect(refusal).rejects.toBeInstanceOf(CheckpointFormatError);
    await expect(refusal).rejects.toThrow(
      'checkpoint file savepoint-000000000002.ckpt is in format sluice.checkpoint/v3; ' +
        'this Sluice reads sluice.checkpoint/v1, sluice.checkpoint/v2. It was written by a newer Sluice: restore it ' +
        `with that version, or move ${path} out of the checkpoint folder`,
    );
    await expect(store.read(2)).rejects.toBeInstanceOf(CheckpointFormatError);
    expect(warnings).toEqual([]);
  });

  it('refuses an older format the same way', async () => {
    await relabel('sluice.checkpoint/v0');
    await expect(storage().latest()).rejects.toThrow(
      /in format sluice\.checkpoint\/v0; this Sluice reads sluice\.checkpoint\/v1, sluice\.checkpoint\/v2\. It was written by an older Sluice whose checkpoints this version no longer reads/,
    );
  });

  it('leaves it out of the list with a warning', async () => {
    await relabel('sluice.checkpoint/v3');
    expect((await storage().list()).map((i) => i.id)).toEqual([1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/savepoint-000000000002\.ckpt is in format sluice\.checkpoint\/v3/);
  });

  it('reads a file of format v1, written before blocks, as a state without blocks', async () => {
    await mkdir(dir, { recursive: true });
    const state = { nodes: { a: { count: 3 } } };
    // As v1 wrote it: the state alone, compressed whole.
    const payload = zstdCompressSync(serialize(state));
    const header = {
      format: 'sluice.checkpoint/v1',
      id: 4,
      kind: 'checkpoint',
      createdAt: 1_700_000_000_000,
      meta: checkpoint,
      compression: 'zstd',
      rawBytes: serialize(state).length,
      payloadBytes: payload.length,
      sha256: payloadDigest(payload),
    };
    const head = Buffer.concat([MAGIC, Buffer.from(`${JSON.stringify(header)}\n`)]);
    await writeFile(join(dir, 'checkpoint-000000000004.ckpt'), Buffer.concat([head, payload]));
    const read = await storage().latest();
    expect(read?.snapshot).toEqual(state);
    expect(read?.info.references).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('takes a damaged format name for damage, not for another version', async () => {
    await relabel('sluice.checkpoint/w1');
    expect((await storage().latest())?.info.id).toBe(1);
    expect(warnings[0]).toMatch(
      /savepoint-000000000002\.ckpt cannot be read: its header is damaged/,
    );
  });
});

describe('CheckpointStorage writes', () => {
  it('deletes temporary files left by a crash on first use, and nothing else', async () => {
    await writeAll(storage(), ['c']);
    const leftover = 'checkpoint-000000000002.ckpt.tmp-0123456789abcdef';
    await writeFile(join(dir, leftover), 'half a checkpoint');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const store = storage();
    expect((await store.latest())?.info.id).toBe(1);
    expect(await files()).toEqual(['checkpoint-000000000001.ckpt', 'notes.txt']);
    expect(await writeAll(store, ['c'])).toEqual([2]);
  });

  it('rejects when the directory cannot be made, and works once it can', async () => {
    await writeFile(dir, 'a file where the directory goes');
    const store = storage();
    await expect(store.write({}, checkpoint)).rejects.toThrow(/EEXIST|ENOTDIR/);
    await rm(dir);
    expect((await store.write({}, checkpoint)).id).toBe(1);
  });

  it('reports a payload write that fails from the next frame or the finish, never as an unhandled rejection', async () => {
    let chunks = 0;
    const writer = new PayloadWriter(async () => {
      if (++chunks === 2) throw new Error('the disk is full');
    });
    // Incompressible, so the compressor hands out several 1 MiB chunks.
    const frames = [randomBytes(3 << 20), randomBytes(3 << 20)];
    const outcome = (async () => {
      for (const frame of frames) {
        await writer.addFrame(frame);
        // Turns of the event loop between frames, as a checkpoint writes them.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return writer.finish();
    })();
    await expect(outcome).rejects.toThrow('the disk is full');
    expect(chunks).toBeGreaterThanOrEqual(2);
  });

  it('rejects a write that fails and leaves the checkpoint before it whole', async () => {
    const store = storage();
    await writeAll(store, ['c']);
    // A folder under the next file's name: the rename into place fails.
    await mkdir(join(dir, 'checkpoint-000000000002.ckpt', 'inside'), { recursive: true });
    await expect(store.write({ n: 'lost' }, checkpoint)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect((await files()).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await rm(join(dir, 'checkpoint-000000000002.ckpt'), { recursive: true });
    const restored = await store.latest();
    expect(restored).toMatchObject({ info: { id: 1 }, snapshot: { n: 0 } });
    expect(warnings).toEqual([]);
    // The failed write took no id.
    expect((await store.write({ n: 1 }, checkpoint)).id).toBe(2);
  });

  it('refuses a class instance in the snapshot, saying where it is, and writes nothing', async () => {
    class Accumulator {
      count = 1;
    }
    const store = storage();
    const refusal = store.write({ state: new Map([['k', new Accumulator()]]) }, checkpoint);
    await expect(refusal).rejects.toBeInstanceOf(SnapshotValueError);
    await expect(refusal).rejects.toThrow(
      'snapshot.state.get("k") is an instance of Accumulator; a checkpoint holds only plain data',
    );
    await expect(store.write({ rows: [1, () => 2] }, checkpoint)).rejects.toThrow(
      'snapshot.rows[1] is a function',
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await expect(store.write(cycle, checkpoint)).rejects.toThrow(/nested more than 1000 levels/);
    expect(await store.latest()).toBeUndefined();
    expect(await files()).toEqual([]);
  });

  it('lets a class instance through as a plain object when the check is off', async () => {
    class Accumulator {
      count = 1;
    }
    const store = storage({ checkPlainData: false });
    await store.write({ a: new Accumulator() }, checkpoint);
    const back = (await store.latest())?.snapshot as { a: object };
    expect(back.a).not.toBeInstanceOf(Accumulator);
    expect(back.a).toEqual({ count: 1 });
  });

  it('runs writes one after another with ids in call order', async () => {
    const store = storage({ keep: 10 });
    const infos = await Promise.all([0, 1, 2, 3].map((n) => store.write({ n }, checkpoint)));
    expect(infos.map((i) => i.id)).toEqual([1, 2, 3, 4]);
    expect((await store.read(3)).snapshot).toEqual({ n: 2 });
  });
});

it('CheckpointReadError names the file', () => {
  expect(new CheckpointReadError('x.ckpt', 'why').message).toBe(
    'checkpoint file x.ckpt cannot be read: why',
  );
});

describe('CheckpointStorage with blocks', () => {
  /** A state whose `blocks` are handed to the writer, as a codec hands its sealed blocks. */
  function take(store: CheckpointStorage, ledger: BlockLedger, blocks: object[]) {
    const writer = ledger.begin();
    const state = { refs: blocks.map((b) => writer.put(b)) };
    clock.advance(1000);
    return store.writeEncoded(store.encode(state, writer), checkpoint).then((written) => {
      ledger.confirm(writer, written.id);
      return { written, fresh: writer.fresh.length };
    });
  }

  const block = (n: number) => ({ kind: 'number', values: new Float64Array([n, n + 0.5, -0]) });

  it('writes a block once, names its file from later checkpoints, and reads it back from there', async () => {
    const store = storage();
    const ledger = new BlockLedger();
    const [a, b, c] = [block(1), block(2), block(3)];
    const first = await take(store, ledger, [a, b]);
    const second = await take(store, ledger, [a, b, c]);
    expect([first.fresh, second.fresh]).toEqual([2, 1]);
    expect(first.written.references).toEqual([]);
    expect(second.written.references).toEqual([first.written.id]);
    const read = await storage().latest();
    expect(read?.info.references).toEqual([1]);
    const state = read?.snapshot as { refs: unknown[] };
    const blocks = state.refs.map((ref) => read!.blocks.get(ref));
    expect(blocks).toEqual([a, b, c]);
    expect(Object.is((blocks[0] as { values: Float64Array }).values[2], -0)).toBe(true);
    // Read back, they are written already: a ledger that adopts them names them.
    const next = new BlockLedger();
    next.adopt(read!.blocks);
    expect(next.whereWritten(blocks[0]!)).toEqual([1, 0]);
    expect(next.whereWritten(blocks[2]!)).toEqual([2, 0]);
  });

  it('gives up a write aborted among its blocks: rejects with the reason, leaves no file, then writes the next whole', async () => {
    const store = storage();
    const ledger = new BlockLedger();
    // 40 MB of blocks that hardly compress: several slices, several turns of
    // the event loop, and the compressor still busy with one when it is aborted.
    const blocks = Array.from({ length: 320 }, () => {
      const bytes = randomBytes(16_384 * 8);
      return { kind: 'number', values: new Float64Array(bytes.buffer, bytes.byteOffset, 16_384) };
    });
    const writer = ledger.begin();
    const state = { refs: blocks.map((b) => writer.put(b)) };
    const abort = new AbortController();
    const writing = store.writeEncoded(store.encode(state, writer), checkpoint, abort.signal);
    // Aborted once compressed blocks reach the file: writes to the compressor are under way.
    const under = async (): Promise<boolean> => {
      const temporary = (await readdir(dir).catch(() => [])).find((f) => f.includes('.tmp-'));
      return temporary !== undefined && (await stat(join(dir, temporary))).size > 4 << 20;
    };
    while (!(await under())) await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(dir)).toEqual([]);
    const next = await take(store, ledger, blocks.slice(0, 2));
    expect([next.written.id, next.fresh]).toEqual([1, 2]);
    expect(await readdir(dir)).toEqual(['checkpoint-000000000001.ckpt']);
  });

  it('writes again the blocks of a checkpoint that failed', async () => {
    const store = storage();
    const ledger = new BlockLedger();
    const a = block(1);
    const writer = ledger.begin();
    writer.put(a);
    // Never confirmed: as if its write had failed.
    const again = await take(store, ledger, [a]);
    expect(again.fresh).toBe(1);
    expect(again.written.references).toEqual([]);
  });

  it('keeps an old checkpoint while a kept one refers to it, and deletes it once none does', async () => {
    const store = storage({ keep: 1 });
    const ledger = new BlockLedger();
    const a = block(1);
    await take(store, ledger, [a]);
    await take(store, ledger, [a]);
    await take(store, ledger, [a, block(2)]);
    expect(await files()).toEqual(['checkpoint-000000000001.ckpt', 'checkpoint-000000000003.ckpt']);
    await take(store, ledger, [block(3)]);
    expect(await files()).toEqual(['checkpoint-000000000004.ckpt']);
  });

  it('skips a checkpoint whose referenced file is gone, with a warning, for the one before', async () => {
    const store = storage({ keep: 5 });
    const ledger = new BlockLedger();
    const a = block(1);
    await take(store, ledger, [a]);
    await take(store, ledger, []);
    await take(store, ledger, [a]);
    await rm(join(dir, 'checkpoint-000000000001.ckpt'));
    const read = await storage().latest();
    expect(read?.info.id).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /checkpoint-000000000003\.ckpt cannot be read: the file checkpoint-000000000001\.ckpt it refers to cannot be read/,
    );
  });
});
