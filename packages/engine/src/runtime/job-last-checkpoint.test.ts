// A bounded job with an exactly-once sink makes its last records visible with
// its last checkpoint: when that checkpoint cannot be written, the job fails
// and says so, rather than "finished" with records that were never written.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pipeline } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStorage } from '../checkpoint/storage.js';
import { keyedDatagen } from '../testing/pipelines.js';
import { startJob } from './job.js';

/** A real storage whose writes fail, as a full disk's would. */
class FullDisk extends CheckpointStorage {
  override writeEncoded(): Promise<never> {
    return Promise.reject(new Error('ENOSPC: no space left on device'));
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-last-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pipeline = (sink: string): Pipeline => ({
  format: 'sluice.pipeline/v1',
  name: 'To the end',
  nodes: [
    keyedDatagen('gen', { count: 50, seed: 1, step: '1s', maxDelay: '0s' }),
    sink === 'file'
      ? { id: 'out', kind: 'sink.file', config: { path: 'out.jsonl', format: 'jsonl' } }
      : { id: 'out', kind: 'sink.preview', config: {} },
  ],
  edges: [{ id: 'e', source: 'gen', target: 'out' }],
});

describe('the last checkpoint of a bounded job', () => {
  it('failing, fails a job whose exactly-once sink held records for it', async () => {
    const ended = await startJob(pipeline('file'), {
      dataDir: dir,
      checkpoints: { intervalMs: 3_600_000, storage: new FullDisk(join(dir, 'ckpt')) },
    }).done;
    expect(ended.status).toBe('failed');
    expect(ended.failure?.message).toMatch(
      /The last checkpoint could not be written, so the records its exactly-once sinks held .* are not written: .*ENOSPC/,
    );
    // None of the 50 records made it into the file.
    expect(await readFile(join(dir, 'out.jsonl'), 'utf8')).toBe('');
  });

  it('failing, leaves a job without such a sink finished', async () => {
    const ended = await startJob(pipeline('preview'), {
      dataDir: dir,
      checkpoints: { intervalMs: 3_600_000, storage: new FullDisk(join(dir, 'ckpt')) },
    }).done;
    expect(ended.status).toBe('finished');
  });

  it('written, finishes with every record in the file', async () => {
    const ended = await startJob(pipeline('file'), {
      dataDir: dir,
      checkpoints: { intervalMs: 3_600_000, storage: new CheckpointStorage(join(dir, 'ckpt')) },
    }).done;
    expect(ended.status).toBe('finished');
    expect((await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(50);
  });
});
