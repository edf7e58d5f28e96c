import type { CheckpointFigures } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import {
  checkpointDetail,
  checkpointFailures,
  checkpointText,
  restoredExplanation,
  restoredText,
  savepointExplanation,
  savepointText,
} from './checkpoint-text.js';

const NOW = new Date(2026, 11, 2, 14, 5, 0).getTime();
const TAKEN = new Date(2026, 11, 2, 14, 2, 31).getTime();

const figures = (over: Partial<CheckpointFigures> = {}): CheckpointFigures => ({
  completed: 30,
  failed: 0,
  lastId: 12,
  lastAt: NOW - 3_000,
  lastDurationMs: 45,
  lastBytes: 12 * 1024,
  restoredFrom: null,
  ...over,
});

describe('where a job resumed from', () => {
  it('says which checkpoint or savepoint, and when it was taken', () => {
    expect(restoredText({ id: 12, kind: 'checkpoint', at: TAKEN }, NOW)).toBe(
      'Restored from checkpoint 12 (taken 14:02:31)',
    );
    expect(restoredText({ id: 3, kind: 'savepoint', at: TAKEN }, NOW)).toBe(
      'Restored from savepoint 3 (taken 14:02:31)',
    );
  });

  it('explains a checkpoint as a stop or a restart, and a savepoint as a stop on request', () => {
    const checkpoint = restoredExplanation({ id: 12, kind: 'checkpoint', at: TAKEN }, NOW);
    expect(checkpoint).toMatch(/^This job had stopped, or the server restarted, and it resumed/);
    expect(checkpoint).toContain('checkpoint 12 (taken 14:02:31)');
    expect(checkpoint).toContain('read again');
    const savepoint = restoredExplanation({ id: 3, kind: 'savepoint', at: TAKEN }, NOW);
    expect(savepoint).toMatch(/^This job was stopped with savepoint 3 \(taken 14:02:31\)/);
  });
});

describe('a job’s checkpoints', () => {
  it('say how long ago the last one was, or that there is none yet', () => {
    expect(checkpointText(figures(), NOW)).toBe('checkpoint 3 s ago');
    expect(checkpointText(figures({ lastId: null, lastAt: null }), NOW)).toBe('no checkpoint yet');
  });

  it('name failures only when there are some', () => {
    expect(checkpointFailures(figures())).toBeNull();
    expect(checkpointFailures(figures({ failed: 2 }))).toBe('2 failed');
  });

  it('give the last one’s duration and size in full', () => {
    expect(checkpointDetail(figures())).toBe(
      'Checkpoint 12 took 45 ms, 12 KB; 30 taken since this run started.',
    );
    expect(checkpointDetail(figures({ failed: 1 }))).toBe(
      'Checkpoint 12 took 45 ms, 12 KB; 30 taken since this run started, 1 failed.',
    );
    expect(
      checkpointDetail(
        figures({
          completed: 0,
          lastId: null,
          lastAt: null,
          lastDurationMs: null,
          lastBytes: null,
        }),
      ),
    ).toBe('No checkpoint yet; 0 taken since this run started.');
  });
});

describe('a savepoint', () => {
  it('says the job can resume from it, and what that does', () => {
    expect(savepointText({ id: 7, at: TAKEN })).toBe('savepoint 7 kept · can resume');
    expect(savepointExplanation({ id: 7, at: TAKEN }, NOW)).toBe(
      'Stopped with savepoint 7 (taken 14:02:31): Resume starts the job again from there, with the state it stopped with.',
    );
  });
});
