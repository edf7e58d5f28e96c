// An operator's metrics for tests: all figures zero, no watermark, but those given.
import type { OperatorMetrics } from '@sluice/shared';

export function operatorMetrics(over: Partial<OperatorMetrics> = {}): OperatorMetrics {
  return {
    nodeId: 'orders',
    kind: 'source.kafka',
    recordsIn: 0,
    recordsOut: 0,
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
