import { describe, expect, it } from 'vitest';
import { analyze } from '../diagnostics/analysis.js';
import { startLive } from '../live/live.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { defineCommand, runCommand } from './command.js';
import { getCommand } from './commands.js';

const applies = (name: string, store = testStore()) => getCommand(name)!.when(store.getState());

describe('the job commands', () => {
  it('deploy while editing a pipeline without problems, stop while running, leave once ended', () => {
    const sample = samplePipeline();
    const store = testStore({ ...sample, nodes: sample.nodes.filter((n) => n.id !== 'all') });
    store.getState().setAnalysis(analyze(store.getState().document));
    expect(applies('deploy', store)).toBe(true);
    expect(getCommand('deploy')!.blocker!(store.getState())).toBeNull();
    expect(applies('stop', store)).toBe(false);
    expect(applies('leave-live', store)).toBe(false);

    store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
    expect(applies('deploy', store)).toBe(false);
    expect(applies('stop', store)).toBe(true);
    expect(applies('leave-live', store)).toBe(false);

    store.getState().updateLive((l) => ({ ...l, job: { ...l.job!, status: 'finished' } }));
    expect(applies('stop', store)).toBe(false);
    expect(applies('leave-live', store)).toBe(true);
  });

  it('stop with savepoint while a job that takes checkpoints runs; resume once there is something to resume from', () => {
    const store = testStore();
    expect(applies('stop-savepoint', store)).toBe(false);
    store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
    // Before its first metrics, and for a job without checkpoint figures: no savepoint.
    expect(applies('stop-savepoint', store)).toBe(false);
    expect(getCommand('stop-savepoint')!.blocker!(store.getState())).toMatch(/first figures/);
    const clock = {
      at: 2,
      startedAt: 1,
      uptimeMs: 1,
      recordsIn: 0,
      recordsOut: 0,
      errors: 0,
      late: 0,
    };
    store.getState().updateLive((l) => ({ ...l, clock }));
    expect(getCommand('stop-savepoint')!.blocker!(store.getState())).toMatch(
      /takes no checkpoints/,
    );
    const checkpoints = {
      completed: 0,
      failed: 0,
      lastId: null,
      lastAt: null,
      lastDurationMs: null,
      lastBytes: null,
      restoredFrom: null,
    };
    store.getState().updateLive((l) => ({ ...l, checkpoints }));
    expect(applies('stop-savepoint', store)).toBe(true);
    expect(applies('resume', store)).toBe(false);

    store.getState().updateLive((l) => ({ ...l, job: { ...l.job!, status: 'stopped' } }));
    expect(applies('stop-savepoint', store)).toBe(false);
    // Stopped before its first checkpoint, without a savepoint: nothing to resume from.
    expect(applies('resume', store)).toBe(false);
    expect(getCommand('resume')!.blocker!(store.getState())).toMatch(/took no checkpoint/);
    store
      .getState()
      .updateLive((l) => ({ ...l, job: { ...l.job!, savepoint: { id: 7, at: 1000 } } }));
    expect(applies('resume', store)).toBe(true);
    store.getState().updateLive((l) => ({
      ...l,
      job: { id: 'j1', status: 'failed' },
      checkpoints: { ...checkpoints, completed: 2, lastId: 2, lastAt: 1 },
    }));
    expect(applies('resume', store)).toBe(true);
    store.getState().updateLive((l) => ({ ...l, job: { id: 'j1', status: 'finished' } }));
    expect(applies('resume', store)).toBe(false);
  });

  it('a job on Flink stops with a savepoint without checkpoint figures, and resumes only from one', () => {
    const store = testStore();
    const flink = { cluster: 'local', jobId: 'f1' };
    store.getState().updateLive(() => ({
      ...startLive({ id: 'j1', status: 'running', flink }),
      clock: { at: 2, startedAt: 1, uptimeMs: 1, recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
    }));
    expect(store.getState().live.checkpoints).toBeNull();
    expect(applies('stop-savepoint', store)).toBe(true);

    store.getState().updateLive((l) => ({ ...l, job: { ...l.job!, status: 'stopped' } }));
    expect(applies('resume', store)).toBe(false);
    expect(getCommand('resume')!.blocker!(store.getState())).toMatch(
      /on Flink.*without a savepoint/,
    );
    store.getState().updateLive((l) => ({
      ...l,
      job: { ...l.job!, flink: { ...flink, savepoint: 'file:/tmp/savepoint-f1' } },
    }));
    expect(applies('resume', store)).toBe(true);
  });

  it('deploy is blocked, with the reason, while the pipeline has errors', () => {
    const store = testStore();
    store.getState().edit('Break', (doc) => ({
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === 'big' ? { ...n, config: { where: 'nope >' } } : n)),
    }));
    store.getState().setAnalysis(analyze(store.getState().document));
    expect(applies('deploy', store)).toBe(false);
    expect(getCommand('deploy')!.blocker!(store.getState())).toMatch(/^Fix the /);
  });
});

describe('running a command', () => {
  it('does not start one that is still running again, and runs it again once done', async () => {
    let started = 0;
    let finish = () => {};
    const slow = defineCommand({
      name: 'slow',
      label: 'Slow',
      shortcuts: [],
      when: () => true,
      run: () => {
        started++;
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
      undo: 'none',
    });
    const store = testStore();
    const first = runCommand(slow, { store });
    expect(runCommand(slow, { store })).toBeUndefined();
    expect(started).toBe(1);
    finish();
    await first;
    void runCommand(slow, { store });
    expect(started).toBe(2);
  });
});
