import type { JobMetrics, OperatorMetrics } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { indexCatalog } from '../catalog/catalog.js';
import { operatorMetrics, testCatalog } from '../testing/fixtures.js';
import {
  addErrors,
  addTapSample,
  applyMetrics,
  applyStatus,
  applySummary,
  clearTap,
  followsOutput,
  HISTORY_LENGTH,
  MAX_ERRORS,
  pressureOf,
  startLive,
  TAP_CAPACITY,
} from './live.js';
import { applyMessage } from './socket.js';

const catalog = testCatalog();

function op(nodeId: string, over: Partial<OperatorMetrics> = {}): OperatorMetrics {
  return operatorMetrics(nodeId, nodeId === 'gen' ? 'source.datagen' : 'transform.filter', over);
}

function metrics(operators: OperatorMetrics[], records = 10, at = 2000): JobMetrics {
  return {
    status: 'running',
    at,
    startedAt: 1000,
    uptimeMs: 1000,
    recordsIn: 10,
    recordsOut: 5,
    errors: 0,
    late: 0,
    operators,
    edges: [{ edgeId: 'e1', source: 'gen', target: 'big', records, perSecond: 10 }],
  };
}

const job = () => startLive({ id: 'j1', status: 'running' });

describe('the live view state', () => {
  it('keeps a bounded history of rates from the counts per node: out for sources, in for the others', () => {
    let live = job();
    for (let i = 0; i <= HISTORY_LENGTH + 5; i++) {
      // 100 a second out of the source, 40 a second into the filter; the engine's own rates are ignored.
      const gen = op('gen', { recordsOut: i * 100, outPerSecond: 7 });
      const big = op('big', { recordsIn: i * 40, inPerSecond: 7 });
      live = applyMetrics(live, catalog, metrics([gen, big], i * 40, i * 1000));
    }
    const gen = live.nodes.get('gen')!;
    expect(gen.history).toHaveLength(HISTORY_LENGTH);
    expect(gen.history.at(-1)).toBe(100);
    expect(gen.outRate).toBe(100);
    expect(live.nodes.get('big')!.history.at(-1)).toBe(40);
    expect(live.edges.get('e1')!.perSecond).toBe(40);
  });

  it('gives a window firing every 2 s a steady out-rate and edge rate, not 4/s and 0/s by turns', () => {
    let live = job();
    const rates: number[] = [];
    for (let s = 0; s <= 30; s++) {
      const out = Math.floor(s / 2) * 4;
      live = applyMetrics(live, catalog, metrics([op('big', { recordsOut: out })], out, s * 1000));
      if (s >= 20) rates.push(live.nodes.get('big')!.outRate, live.edges.get('e1')!.perSecond);
    }
    expect(new Set(rates)).toEqual(new Set([2]));
  });

  it('follows what a step emits when its kind is declared a source, whatever the kind is called', () => {
    const datagen = catalog.byKind.get('source.datagen')!;
    const filter = catalog.byKind.get('transform.filter')!;
    const custom = indexCatalog([
      { ...datagen, kind: 'clock.ticks' },
      { ...filter, kind: 'source.looking' },
    ]);
    expect(followsOutput('clock.ticks', custom)).toBe(true);
    expect(followsOutput('source.looking', custom)).toBe(false);
  });

  it('keeps the object of a node whose figures and flat history did not change, so it does not re-render', () => {
    let live = job();
    for (let i = 0; i < HISTORY_LENGTH; i++) {
      const big = op('big', { recordsIn: i * 10 });
      live = applyMetrics(live, catalog, metrics([op('gen'), big], 10, i * 1000));
    }
    const idle = live.nodes.get('gen');
    const busy = live.nodes.get('big');
    const edge = live.edges.get('e1');
    const big = op('big', { recordsIn: HISTORY_LENGTH * 10 + 99 });
    live = applyMetrics(live, catalog, metrics([op('gen'), big], 10, HISTORY_LENGTH * 1000));
    expect(live.nodes.get('gen')).toBe(idle);
    expect(live.nodes.get('big')).not.toBe(busy);
    expect(live.edges.get('e1')).toBe(edge);
  });

  it('marks an edge amber or red when the step downstream is busy or backlogged', () => {
    expect(pressureOf(op('x', { busy: 0.5 }))).toBe('ok');
    expect(pressureOf(op('x', { busy: 0.85 }))).toBe('amber');
    expect(pressureOf(op('x', { busy: 0.97 }))).toBe('red');
    expect(pressureOf(op('x', { backlog: 5_000 }))).toBe('amber');
    expect(pressureOf(op('x', { backlog: 50_000 }))).toBe('red');
    const live = applyMetrics(job(), catalog, metrics([op('gen'), op('big', { busy: 0.9 })]));
    expect(live.edges.get('e1')?.pressure).toBe('amber');
  });

  it('records a status change with the failure, and drops an old failure', () => {
    const failed = applyStatus(job(), 'failed', { message: 'boom', nodeId: 'big' });
    expect(failed.job).toMatchObject({ status: 'failed', failure: { nodeId: 'big' } });
    expect(applyStatus(failed, 'running').job?.failure).toBeUndefined();
  });

  it('adds each bad record once, oldest first, and keeps a bounded number', () => {
    const e = (at: number) => ({ nodeId: 'big', reason: 'cannot CAST', row: { at }, at });
    let live = addErrors(job(), [e(2), e(1)]);
    live = addErrors(live, [e(1), e(3)]);
    expect(live.errors.map((x) => x.at)).toEqual([1, 2, 3]);
    live = addErrors(
      live,
      Array.from({ length: MAX_ERRORS + 10 }, (_, i) => e(10 + i)),
    );
    expect(live.errors).toHaveLength(MAX_ERRORS);
    expect(live.errors.at(-1)?.at).toBe(MAX_ERRORS + 19);
  });

  it('keeps tapped records newest first, bounded, and forgets them when the tap closes', () => {
    let live = addTapSample(job(), 'e1', [{ n: 1 }, { n: 2 }], [10, 20]);
    live = addTapSample(live, 'e1', [{ n: 3 }], [30]);
    expect(live.taps.get('e1')?.rows.map((r) => r.row.n)).toEqual([3, 2, 1]);
    const many = Array.from({ length: TAP_CAPACITY }, (_, i) => ({ n: i + 4 }));
    live = addTapSample(
      live,
      'e1',
      many,
      many.map(() => 0),
    );
    expect(live.taps.get('e1')?.rows).toHaveLength(TAP_CAPACITY);
    expect(live.taps.get('e1')?.total).toBe(TAP_CAPACITY + 3);
    expect(clearTap(live, 'e1').taps.has('e1')).toBe(false);
  });

  it('folds every kind of server message', () => {
    let live = applyMessage(job(), catalog, {
      type: 'metrics',
      metrics: metrics([op('gen')]),
      dropped: 2,
    });
    expect(live.dropped).toBe(2);
    expect(live.clock?.uptimeMs).toBe(1000);
    live = applyMessage(live, catalog, {
      type: 'error',
      error: { nodeId: 'big', reason: 'r', row: {}, at: 1 },
    });
    expect(live.errors).toHaveLength(1);
    live = applyMessage(live, catalog, { type: 'tap', edgeId: 'e1', rows: [{ a: 1 }], times: [5] });
    expect(live.taps.get('e1')?.rows[0]?.time).toBe(5);
    live = applyMessage(live, catalog, { type: 'problem', message: 'no such edge' });
    expect(live.problem).toBe('no such edge');
    live = applyMessage(live, catalog, { type: 'status', status: 'stopped' });
    expect(live.job?.status).toBe('stopped');
  });

  it('keeps the checkpoint figures while unchanged, and has none for a job that takes none', () => {
    const figures = {
      completed: 3,
      failed: 0,
      lastId: 3,
      lastAt: 1900,
      lastDurationMs: 12,
      lastBytes: 2048,
      restoredFrom: null,
    };
    const once = applyMetrics(job(), catalog, { ...metrics([]), checkpoints: { ...figures } });
    expect(once.checkpoints).toEqual(figures);
    const again = applyMetrics(once, catalog, { ...metrics([]), checkpoints: { ...figures } });
    expect(again.checkpoints).toBe(once.checkpoints);
    const failed = applyMetrics(again, catalog, {
      ...metrics([]),
      checkpoints: { ...figures, failed: 1 },
    });
    expect(failed.checkpoints?.failed).toBe(1);
    expect(applyMetrics(failed, catalog, metrics([])).checkpoints).toBeNull();
  });

  it('takes in the summary of the job shown: where it resumed from and its savepoint', () => {
    const summary = {
      id: 'j1',
      name: 'Sample',
      status: 'running' as const,
      startedAt: 1000,
      uptimeMs: 1000,
      totals: { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
    };
    const restoredFrom = { id: 12, kind: 'checkpoint' as const, at: 900 };
    const restored = applySummary(job(), { ...summary, restoredFrom });
    expect(restored.job?.restoredFrom).toEqual(restoredFrom);
    // The same again changes nothing; another job's summary is not this one's.
    expect(applySummary(restored, { ...summary, restoredFrom: { ...restoredFrom } })).toBe(
      restored,
    );
    expect(applySummary(restored, { ...summary, id: 'j2' })).toBe(restored);
    const stopped = applySummary(restored, {
      ...summary,
      status: 'stopped',
      savepoint: { id: 13, at: 1500 },
    });
    expect(stopped.job?.savepoint).toEqual({ id: 13, at: 1500 });
    expect(stopped.job?.restoredFrom).toBeUndefined();
  });
});
