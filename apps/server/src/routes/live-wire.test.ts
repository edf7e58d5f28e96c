import type { JobMetrics, TapSample } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { encodeEvent, encodeMetrics, encodeTap } from './live-wire.js';

describe('live messages', () => {
  it('encodes a tap sample once, however many watchers send it', () => {
    const sample = { edgeId: 'e1', rows: [{ n: 1 }], times: [5] } as unknown as TapSample;
    const first = encodeTap(sample);
    expect(JSON.parse(String(first))).toEqual({ type: 'tap', ...sample });
    // The same bytes for the next watcher: nothing stringified or copied again.
    expect(encodeTap(sample)).toBe(first);
    expect(encodeTap({ ...sample })).not.toBe(first);
  });

  it('encodes an event once, and metrics with each watcher its own dropped count', () => {
    const status = { type: 'status' as const, status: 'running' as const };
    expect(encodeEvent(status)).toBe(encodeEvent(status));
    const metrics = { recordsIn: 3, operators: [] } as unknown as JobMetrics;
    const event = { type: 'metrics' as const, metrics };
    expect(JSON.parse(encodeMetrics(event, 0))).toEqual({ type: 'metrics', metrics, dropped: 0 });
    expect(JSON.parse(encodeMetrics(event, 7))).toEqual({ type: 'metrics', metrics, dropped: 7 });
  });
});
