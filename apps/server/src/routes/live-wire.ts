// Live messages are encoded once per event, not once per watcher: a hundred
// watchers of a tap share one Buffer, which ws sends without copying.
import type { LiveMessage, TapSample } from '@sluice/shared';
import type { JobEvent } from '../jobs/protocol.js';

const encoded = new WeakMap<object, Buffer>();
const metricsJson = new WeakMap<object, string>();

function once(key: object, message: () => LiveMessage): Buffer {
  let bytes = encoded.get(key);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(message()));
    encoded.set(key, bytes);
  }
  return bytes;
}

/** A message for one watcher only. */
export const encodeMessage = (message: LiveMessage): string => JSON.stringify(message);

/** A status or bad-record event, as every watcher is sent it. */
export function encodeEvent(event: Exclude<JobEvent, { type: 'metrics' }>): Buffer {
  return once(event, () => event);
}

/** A tap sample, as every watcher of its edge is sent it. */
export function encodeTap(sample: TapSample): Buffer {
  return once(sample, () => ({ type: 'tap', ...sample }));
}

/** A metrics event with this watcher's `dropped` count; the metrics themselves are stringified once. */
export function encodeMetrics(
  event: Extract<JobEvent, { type: 'metrics' }>,
  dropped: number,
): string {
  let json = metricsJson.get(event);
  if (json === undefined) {
    json = JSON.stringify(event.metrics);
    metricsJson.set(event, json);
  }
  // Spliced by hand so the metrics are stringified once: LiveMessage's metrics shape.
  return `{"type":"metrics","metrics":${json},"dropped":${dropped}}`;
}
