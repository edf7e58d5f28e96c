import type { InstanceMetrics } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { skewNote } from './InstanceFacts.js';

const instance = (index: number, inPerSecond: number, partitions = ['t:0']): InstanceMetrics => ({
  index,
  status: 'running',
  recordsIn: 0,
  recordsOut: 0,
  inPerSecond,
  lag: 0,
  partitions,
  busy: 0,
});

/** Long enough after the start for the partitions to be dealt out. */
const UP = 60_000;

describe('the note on how instances share the work', () => {
  it('says nothing while they read about as fast as each other', () => {
    expect(skewNote([instance(0, 100), instance(1, 140)], UP)).toBeNull();
    expect(skewNote([instance(0, 0), instance(1, 0)], UP)).toBeNull();
  });

  it('names the instance that reads much more, and by how much', () => {
    expect(skewNote([instance(0, 100), instance(1, 300)], UP)).toBe(
      'Instance 2 reads 3.0× as many records a second as instance 1: its partitions hold more of the records (a hot key?), and the job goes at its pace.',
    );
    expect(skewNote([instance(0, 50), instance(1, 0)], UP)).toMatch(
      /^Instance 1 reads records and instance 2 none: /,
    );
  });

  it('says when an instance has no partition to read', () => {
    expect(skewNote([instance(0, 50), instance(1, 0, [])], UP)).toBe(
      'Instance 2 reads no partition: the topic has fewer partitions than the job has instances, or another job in the same consumer group reads them.',
    );
    // Not while the group is still dealing the partitions out.
    expect(skewNote([instance(0, 50), instance(1, 0, [])], 2_000)).toBeNull();
  });
});
