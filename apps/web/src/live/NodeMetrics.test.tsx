// @vitest-environment jsdom
import type { JobMetrics, OperatorMetrics } from '@sluice/shared';
import { act, cleanup, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { EditorProvider } from '../store/context.js';
import { testStore } from '../testing/fixtures.js';
import { applyMetrics, HISTORY_LENGTH, startLive } from './live.js';
import { NodeMetrics, nodeFacts } from './NodeMetrics.js';

afterEach(cleanup);

const UNREACHABLE =
  'Kafka at 127.0.0.1:9092 is unreachable (for 12 s: Connection refused); reconnecting, the job fails after 2 min';

function source(over: Partial<OperatorMetrics> = {}): OperatorMetrics {
  return {
    nodeId: 'orders',
    kind: 'source.kafka',
    recordsIn: 0,
    recordsOut: 3_000,
    bytesIn: 0,
    inPerSecond: 0,
    outPerSecond: 0,
    errors: 0,
    late: 0,
    watermark: null,
    watermarkLagMs: null,
    stateKeys: 0,
    stateBytes: 0,
    busy: 0,
    backlog: 0,
    idle: false,
    extra: {},
    ...over,
  };
}

const metrics = (...ops: OperatorMetrics[]): JobMetrics => ({
  status: 'running',
  at: 2000,
  startedAt: 1000,
  uptimeMs: 1000,
  recordsIn: 3_000,
  recordsOut: 0,
  errors: 0,
  late: 0,
  operators: ops,
  edges: [],
});

describe('a node’s live figures', () => {
  it('say in plain words that Kafka is unreachable while it is, and stop saying it after', () => {
    const store = testStore();
    let live = startLive({ id: 'j1', status: 'running' });
    // A full, flat history: the case where an unchanged node keeps its old figures.
    for (let i = 0; i < HISTORY_LENGTH; i++) {
      live = applyMetrics(
        live,
        store.getState().catalog,
        metrics(source({ condition: UNREACHABLE })),
      );
    }
    store.getState().updateLive(() => live);
    render(
      <EditorProvider store={store}>
        <NodeMetrics nodeId="orders" category="source" />
      </EditorProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe(UNREACHABLE);
    act(() =>
      store
        .getState()
        .updateLive((l) => applyMetrics(l, store.getState().catalog, metrics(source()))),
    );
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('a node’s live figures, in two lines of a node that does not grow', () => {
  it('put bad and late records first on the facts line, before what the kind adds', () => {
    const window = source({
      nodeId: 'per_category',
      kind: 'window.aggregate',
      errors: 3,
      late: 1,
      stateBytes: 2048,
      extra: { openWindows: 4 },
    });
    expect(nodeFacts(window, 'window').map((f) => f.text)).toEqual([
      '3 errors',
      '1 late',
      '4 open windows',
      'state 2 KB',
    ]);
    expect(nodeFacts(source({ watermarkLagMs: 1200 }), 'source').map((f) => f.text)).toEqual([
      '0 errors',
      '0 late',
      'lag 1.2 s',
    ]);
  });

  it('of a sink into a database, say what is written, and what waits for the next checkpoint', () => {
    const table = source({
      nodeId: 'table',
      kind: 'sink.postgres',
      recordsIn: 1_670,
      recordsOut: 0,
      extra: { rowsWritten: 835, awaitingCheckpoint: 835, transactionsCommitted: 1 },
    });
    const facts = nodeFacts(table, 'sink');
    expect(facts.map((f) => f.text)).toEqual(['0 errors', '0 late', '835 written']);
    expect(facts[2]!.title).toBe(
      '1670 received; 835 to be written at the next checkpoint (exactly once)',
    );
    const kafka = source({ nodeId: 'out', kind: 'sink.kafka', recordsIn: 20, extra: {} });
    expect(nodeFacts(kafka, 'sink').map((f) => f.text)).toEqual([
      '0 errors',
      '0 late',
      '20 received',
    ]);
  });

  it('on Flink, name the steps chained into the same vertex, with its busy and backpressured time', () => {
    const store = testStore();
    const vertex = 'Source: gen -> Calc[big] -> Sink: out';
    const onFlink = (nodeId: string, kind: string, v = vertex) =>
      source({ nodeId, kind, vertex: v, busy: 0.42, extra: { backpressured: 0.1 } });
    store
      .getState()
      .updateLive(() =>
        applyMetrics(
          startLive({ id: 'j1', status: 'running', flink: { cluster: 'local', jobId: 'f1' } }),
          store.getState().catalog,
          metrics(
            onFlink('gen', 'source.datagen'),
            onFlink('big', 'transform.filter'),
            onFlink('out', 'sink.console', 'Sink: out'),
          ),
        ),
      );
    render(
      <EditorProvider store={store}>
        <NodeMetrics nodeId="big" category="transform" />
        <NodeMetrics nodeId="out" category="sink" />
      </EditorProvider>,
    );
    const chained = screen.getByText('on Flink, chained with 1');
    expect(chained.closest('[title]')?.getAttribute('title')).toMatch(
      /one Flink vertex with Generator \(busy 42 %, backpressured 10 %\)/i,
    );
    // A vertex of its own: its name, not a count.
    expect(screen.getByText('on Flink: Sink: out')).toBeTruthy();
  });

  it('show a condition beside the figures, not in their place', () => {
    const store = testStore();
    store
      .getState()
      .updateLive(() =>
        applyMetrics(
          startLive({ id: 'j1', status: 'running' }),
          store.getState().catalog,
          metrics(source({ outPerSecond: 12, condition: UNREACHABLE })),
        ),
      );
    render(
      <EditorProvider store={store}>
        <NodeMetrics nodeId="orders" category="source" />
      </EditorProvider>,
    );
    const node = screen.getByTestId('live-orders');
    // Rates come from the counts between ticks (rates.ts): one tick, nothing has flowed yet.
    expect(node.querySelector('.op-live-rates')?.textContent).toBe('out 0/s');
    expect(node.querySelector('.op-live-facts')?.textContent).toBe('0 errors0 latelag –');
    expect(screen.getByRole('status').className).toContain('op-callout');
  });

  it('re-render a node only when its own figures change', () => {
    const store = testStore();
    const catalog = store.getState().catalog;
    const a = source({ nodeId: 'a', outPerSecond: 5 });
    const b = source({ nodeId: 'b', outPerSecond: 7 });
    // Each with a full, flat history: a tick with the same figures leaves a node's slice as it was.
    store.getState().updateLive(() => {
      const live = applyMetrics(startLive({ id: 'j1', status: 'running' }), catalog, metrics(a, b));
      return { ...live, nodes: new Map([...live.nodes].map(([id, n]) => [id, fullFlat(n)])) };
    });
    const commits = { a: 0, b: 0 };
    render(
      <EditorProvider store={store}>
        <Profiler id="a" onRender={() => commits.a++}>
          <NodeMetrics nodeId="a" category="source" />
        </Profiler>
        <Profiler id="b" onRender={() => commits.b++}>
          <NodeMetrics nodeId="b" category="source" />
        </Profiler>
      </EditorProvider>,
    );
    expect(commits).toEqual({ a: 1, b: 1 });
    // A tick where only a's figures moved: b's slice is the same object, so b is not drawn again.
    const before = screen.getByTestId('live-a').textContent;
    act(() =>
      store
        .getState()
        .updateLive((l) => applyMetrics(l, catalog, metrics({ ...a, errors: a.errors + 3 }, b))),
    );
    expect(commits).toEqual({ a: 2, b: 1 });
    expect(screen.getByTestId('live-a').textContent).not.toBe(before);
    expect(screen.getByTestId('live-a').textContent).toContain('3 errors');
  });
});

/** A node whose sparkline is full and flat at its rate: the case a same tick leaves as it was. */
function fullFlat<T extends { outRate: number; history: readonly number[] }>(n: T): T {
  // A source's sparkline follows its out rate, worked out from its counts.
  return { ...n, history: Array.from({ length: HISTORY_LENGTH }, () => n.outRate) };
}
