import { describe, expect, it } from 'vitest';
import { PartitionTracker } from './partitions.js';

const a0 = { topic: 'a', partition: 0 };
const a1 = { topic: 'a', partition: 1 };

describe('PartitionTracker', () => {
  it('shows each partition: a silent one holds the watermark back until its idle timeout, then the one behind does', () => {
    const tracker = new PartitionTracker({ boundMs: 100, idleMs: 5_000 });
    const a2 = { topic: 'a', partition: 2 };
    tracker.own([a0, a1, a2], 0);
    tracker.read(a0, 0n, 9n, 9_000, 1_000);
    tracker.read(a1, 0n, 9n, 4_000, 1_000);
    // Partition 2 has had no record: it holds everything back, and is named.
    let view = tracker.view(2_000);
    expect(view.map((p) => [p.partition, p.watermark, p.idleForMs, p.idle, p.holding])).toEqual([
      [0, 8_899, 1_000, false, false],
      [1, 3_899, 1_000, false, false],
      [2, null, 2_000, false, true],
    ]);
    expect(tracker.watermark(2_000)).toBe(Number.NEGATIVE_INFINITY);
    // Past the idle timeout it no longer counts; partition 1, behind, holds it back now.
    tracker.read(a0, 10n, 10n, 9_500, 5_500);
    tracker.read(a1, 10n, 10n, 4_500, 5_500);
    view = tracker.view(6_000);
    expect(view.map((p) => [p.partition, p.idle, p.holding])).toEqual([
      [0, false, false],
      [1, false, true],
      [2, true, false],
    ]);
    expect(view[2]!.idleForMs).toBe(6_000);
    expect(tracker.watermark(6_000)).toBe(4_399);
    expect(tracker.idleMs).toBe(5_000);
  });

  it('goes on from its saved state with the same watermark, idleness counted afresh', () => {
    const options = { boundMs: 100, idleMs: 1_000, keepRuns: false };
    const tracker = new PartitionTracker(options);
    tracker.own([a0, a1], 0);
    tracker.read(a0, 0n, 9n, 5_000, 10);
    tracker.read(a1, 0n, 4n, 3_000, 10);
    expect(tracker.watermark(20)).toBe(2_899);
    const saved = tracker.save();
    // A copy: the tracker moving on does not change it.
    tracker.read(a1, 5n, 9n, 9_000, 30);
    expect(saved).toEqual({
      partitions: [
        ['a', 0, 5_000],
        ['a', 1, 3_000],
      ],
      emitted: 2_899,
    });

    const restored = new PartitionTracker(options);
    restored.restore(structuredClone(saved), 50_000);
    expect(restored.watermark(50_000)).toBe(2_899);
    restored.read(a1, 5n, 9n, 9_000, 50_010);
    // Partition 0 holds it back, as it would have before the restore.
    expect(restored.watermark(50_020)).toBe(4_899);
    expect(restored.idle(50_020)).toBe(0);
    // With checkpoints nothing is kept for commits.
    expect(restored.takeCommittable(Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it('with checkpoints a partition another member holds holds the watermark back until it comes back, then idles as usual', () => {
    const tracker = new PartitionTracker({ boundMs: 0, idleMs: 1_000, forgetRevoked: false });
    tracker.own([a0, a1], 0);
    tracker.read(a0, 0n, 0n, 1_000, 0);
    tracker.read(a1, 0n, 0n, 2_000, 0);
    tracker.own([a1], 10);
    tracker.read(a1, 1n, 1n, 5_000, 20);
    expect(tracker.watermark(20)).toBe(999);
    // Held elsewhere (a killed process not yet out of the group): never idle, however long.
    tracker.read(a1, 2n, 2n, 6_000, 30_000);
    expect(tracker.watermark(30_000)).toBe(999);
    expect(tracker.idle(30_000)).toBe(0);
    // Back here with nothing to read: idle a second after it came back.
    tracker.own([a0, a1], 30_100);
    tracker.read(a1, 3n, 3n, 7_000, 31_050);
    expect(tracker.watermark(31_000)).toBe(999);
    expect(tracker.watermark(31_100)).toBe(6_999);

    const forgetting = new PartitionTracker({ boundMs: 0, idleMs: 1_000 });
    forgetting.own([a0, a1], 0);
    forgetting.read(a0, 0n, 0n, 1_000, 0);
    forgetting.own([a1], 10);
    forgetting.read(a1, 0n, 0n, 5_000, 20);
    expect(forgetting.watermark(20)).toBe(4_999);
  });
});
