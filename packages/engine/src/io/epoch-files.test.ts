// The exactly-once file: lines appear when their checkpoint is durable, and
// a restore brings the file to exactly what the checkpoint covers, even
// while the sink goes on writing and is cut during the recovery.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../runtime/state.js';
import { DataDir } from './data-dir.js';
import { EpochFiles } from './epoch-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-epochs-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const read = () => readFile(join(dir, 'out/r.txt'), 'utf8');

describe('EpochFiles', () => {
  it('shows lines only once the checkpoint that cut them is durable', async () => {
    const files = new EpochFiles(new DataDir(dir), 'out/r.txt', new StateStore());
    files.write('a\n', 1);
    await files.flush();
    expect(await read()).toBe('');
    files.cut();
    files.write('b\n', 1);
    await files.flush();
    await files.publish();
    expect(await read()).toBe('a\n');
    await files.close();
  });

  it('after a restore, publishes what the checkpoint cut, drops what came after, and keeps a cut taken during the recovery', async () => {
    const dataDir = new DataDir(dir);
    const first = new StateStore();
    const before = new EpochFiles(dataDir, 'out/r.txt', first);
    before.write('a\n', 1);
    before.cut();
    await before.flush();
    await before.publish();
    before.write('b\n', 1);
    before.cut();
    await before.flush();
    const snapshot = first.snapshot(); // the checkpoint: 'b' cut, not yet published
    before.write('lost\n', 1); // after the checkpoint: written again by the restored run
    await before.flush();
    await before.close();

    const second = new StateStore();
    const after = new EpochFiles(dataDir, 'out/r.txt', second);
    second.restore(structuredClone(snapshot));
    // The restored job writes and is cut at once, while the recovery is still to run.
    after.write('c\n', 1);
    after.cut();
    await after.flush();
    await after.publish();
    expect(await read()).toBe('a\nb\nc\n');
    expect((await readdir(join(dir, 'out'))).filter((f) => f.endsWith('.pending'))).toEqual([]);
    await after.close();
  });
});
