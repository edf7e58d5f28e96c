// @vitest-environment jsdom
import type { JobMetrics, OperatorMetrics } from '@sluice/shared';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EditorProvider } from '../store/context.js';
import { testStore } from '../testing/fixtures.js';
import { applyMetrics, HISTORY_LENGTH, startLive } from './live.js';
import { NodeMetrics } from './NodeMetrics.js';

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

const metrics = (op: OperatorMetrics): JobMetrics => ({
  status: 'running',
  at: 2000,
  startedAt: 1000,
  uptimeMs: 1000,
  recordsIn: 3_000,
  recordsOut: 0,
  errors: 0,
  late: 0,
  operators: [op],
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
