// The group leader's assignment for instances of a job: instance i gets the
// partitions p with p % count === i, and no partition goes to two members,
// even when a second job of the same pipeline joins the same group.
import { describe, expect, it } from 'vitest';
import { instanceAssigner } from './reader.js';

type Members = Parameters<typeof instanceAssigner>[1];
type Metadata = Parameters<typeof instanceAssigner>[3];

function assign(members: [string, string | undefined][], partitions = 4) {
  const map = new Map(
    members.map(([id, meta]) => [
      id,
      { memberId: id, topics: ['t'], ...(meta ? { metadata: Buffer.from(meta) } : {}) },
    ]),
  ) as unknown as Members;
  const metadata = {
    topics: new Map([['t', { partitionsCount: partitions }]]),
  } as unknown as Metadata;
  const out = instanceAssigner('x', map, new Set(['t']), metadata);
  return Object.fromEntries(
    out.map((a) => [a.memberId, [...a.assignments.values()].flatMap((x) => x.partitions)]),
  );
}

describe('the instances’ assignor', () => {
  it('deals partition p to instance p % count', () => {
    expect(
      assign([
        ['b', '1/2'],
        ['a', '0/2'],
      ]),
    ).toEqual({ a: [0, 2], b: [1, 3] });
  });

  it('gives nothing to a member claiming an index already taken, or another count', () => {
    const two = assign([
      ['a', '0/2'],
      ['b', '1/2'],
      ['c', '0/2'],
      ['d', '1/2'],
      ['e', '0/3'],
      ['f', undefined],
    ]);
    expect(two).toEqual({ a: [0, 2], b: [1, 3], c: [], d: [], e: [], f: [] });
    const all = Object.values(two).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
