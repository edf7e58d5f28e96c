// transform.dedupe: the first record of each key passes; its repeats within
// the retention after it, in event time, are dropped. The retention runs from
// the first record, not the latest repeat (Flink SQL's keep-first
// deduplication, whose state lives from its creation): a key repeated
// forever still lets one record through per retention, and is forgotten
// once the watermark passes it, so state stays bounded.
//
// A repeat is judged against the kept first record of its key whatever its
// own time, even one older than that record (it came after it). A record at
// or behind the watermark whose key holds no state is late: its first record
// may have been forgotten already, so whether it repeats one cannot be told.
// It leaves by the late port, counted, neither passed nor silently dropped.
import type { transformDedupe } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { validDuration } from './compile.js';
import { ExpiryQueue } from './join/expiry-queue.js';
import { groupKey } from './window/keys.js';

export function createTransformDedupe(env: EnvironmentOf<typeof transformDedupe>): Operator {
  const retention = validDuration(env.config.retention);
  const key = groupKey(env.config.key);
  /** Each kept key's first-seen event time: the whole state. */
  const seen = env.state.map<unknown, number>('seen');
  /** When each kept key is forgotten (its last covered instant); an index over `seen`, rebuilt from it on restore. */
  const expiry = new ExpiryQueue<unknown>();
  env.state.afterRestore(() => {
    expiry.clear();
    for (const [k, first] of seen) expiry.push(first + retention - 1, k);
  });
  const duplicates = env.state.cell('duplicates', 0);

  function process(batch: Batch, _input: number, context: OperatorContext): void {
    const { rows, times } = batch;
    const n = rows.length;
    const watermark = context.watermark;
    const passed: Row[] = [];
    const passedTimes: number[] = [];
    const late: Row[] = [];
    const lateTimes: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const t = times[i]!;
      const k = key.of(row);
      const first = seen.get(k);
      if (first !== undefined && t < first + retention) {
        duplicates.value++;
      } else if (t <= watermark) {
        late.push(row);
        lateTimes.push(t);
      } else {
        seen.set(k, t);
        expiry.push(t + retention - 1, k);
        passed.push(row);
        passedTimes.push(t);
      }
    }
    if (passed.length === n) context.emit(batch);
    else if (passed.length > 0) context.emit({ rows: passed, times: passedTimes });
    if (late.length > 0) context.late({ rows: late, times: lateTimes });
  }

  return {
    keyFields: [env.config.key],
    process,
    onWatermark(watermark: number) {
      while (expiry.size > 0 && expiry.peekTime() <= watermark) {
        const at = expiry.peekTime();
        const k = expiry.pop();
        // A stale entry: the key was forgotten and seen again since.
        if (seen.get(k) === at - retention + 1) seen.delete(k);
      }
    },
    finish() {
      seen.clear();
      expiry.clear();
    },
    // A restart reads again from the oldest first record still kept, so that the keys it
    // holds are known again (the queue's head may be stale: earlier, never later).
    heldSince: () =>
      expiry.size > 0 ? expiry.peekTime() - retention + 1 : Number.POSITIVE_INFINITY,
    metrics: () => ({ duplicates: duplicates.value, keys: seen.size }),
  };
}
