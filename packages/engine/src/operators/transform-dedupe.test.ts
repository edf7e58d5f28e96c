import { describe, expect, it } from 'vitest';
import type { Row } from '../batch.js';
import { END_OF_TIME } from '../batch.js';
import { operatorHarness, stream } from '../testing/harness.js';

const INPUT = stream([
  ['user', 'string'],
  ['page', 'long'],
  ['id', 'long'],
]);

const MINUTE = 60_000;

function dedupe(config: Record<string, unknown> = {}) {
  return operatorHarness({
    kind: 'transform.dedupe',
    config: { key: ['user'], retention: '10m', ...config },
    inputs: [INPUT],
  });
}

const rec = (user: string | null, id: number, page = 1): Row => ({ user, page, id });

/** Ids of the records passed so far, with their event times. */
function passed(h: ReturnType<typeof dedupe>) {
  const { rows, times } = h.emitted();
  return rows.map((r, i) => [r.id, times[i]]);
}

describe('transform.dedupe', () => {
  it('passes the first record of a key and drops its repeats within the retention', () => {
    const h = dedupe();
    h.push([rec('a', 1), rec('b', 2), rec('a', 3)], [0, MINUTE, 2 * MINUTE]);
    // Just inside 10 minutes of a's first record: still a repeat.
    h.push([rec('a', 4), rec('b', 5)], [10 * MINUTE - 1, 5 * MINUTE]);
    expect(passed(h)).toEqual([
      [1, 0],
      [2, MINUTE],
    ]);
    expect(h.emitted().rows[0]).toEqual(rec('a', 1));
    expect(h.outputs[0]).toEqual(INPUT);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 3, keys: 2 });
  });

  it('measures the retention from the first record, not the latest repeat', () => {
    const h = dedupe();
    // A repeat every 4 minutes: one passes every 10 minutes, not only the first.
    const times = [0, 4, 8, 12, 16, 20, 24].map((m) => m * MINUTE);
    h.push(
      times.map((_, i) => rec('a', i)),
      times,
    );
    expect(passed(h)).toEqual([
      [0, 0],
      [3, 12 * MINUTE],
      [6, 24 * MINUTE],
    ]);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 4, keys: 1 });
  });

  it('forgets a key once the watermark passes its retention, and keeps state bounded', () => {
    const h = dedupe();
    h.push([rec('a', 1), rec('b', 2)], [0, 5 * MINUTE]);
    h.watermark(10 * MINUTE - 2);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 0, keys: 2 });
    // The last instant a's first record covers: a is forgotten, b is not.
    h.watermark(10 * MINUTE - 1);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 0, keys: 1 });
    expect(h.state.size().keys).toBe(1);
    h.push([rec('a', 3), rec('b', 4)], [10 * MINUTE, 10 * MINUTE]);
    expect(passed(h).map(([id]) => id)).toEqual([1, 2, 3]);
    h.watermark(END_OF_TIME);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 1, keys: 0 });
    expect(h.state.size().keys).toBe(0);
  });

  it('lets a record after the retention through before the watermark has forgotten the key', () => {
    const h = dedupe();
    h.push([rec('a', 1)], [0]);
    h.push([rec('a', 2), rec('a', 3)], [10 * MINUTE, 15 * MINUTE]);
    expect(passed(h).map(([id]) => id)).toEqual([1, 2]);
    // The old entry of a in the expiry queue no longer forgets it: the key now starts at 10m.
    h.watermark(12 * MINUTE);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 1, keys: 1 });
    h.push([rec('a', 4)], [19 * MINUTE]);
    expect(passed(h).map(([id]) => id)).toEqual([1, 2]);
  });

  it('drops a repeat older than the first record, which arrived before it', () => {
    const h = dedupe();
    h.push([rec('a', 1), rec('a', 2)], [5 * MINUTE, MINUTE]);
    expect(passed(h).map(([id]) => id)).toEqual([1]);
  });

  it('sends a record at or behind the watermark of a key it no longer knows to late', () => {
    const h = dedupe();
    h.push([rec('a', 1)], [0]);
    h.watermark(30 * MINUTE);
    h.push([rec('a', 2), rec('c', 3), rec('d', 4)], [5 * MINUTE, 30 * MINUTE, 30 * MINUTE + 1]);
    // a's first record was forgotten: 2 may or may not repeat it. c is at the watermark.
    expect(h.late).toEqual([rec('a', 2), rec('c', 3)]);
    expect(passed(h).map(([id]) => id)).toEqual([1, 4]);
  });

  it('still drops a late repeat of a key it knows', () => {
    const h = dedupe();
    h.push([rec('a', 1)], [20 * MINUTE]);
    h.watermark(25 * MINUTE);
    h.push([rec('a', 2)], [15 * MINUTE]);
    expect(h.late).toEqual([]);
    expect(passed(h).map(([id]) => id)).toEqual([1]);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 1, keys: 1 });
  });

  it('keys on several fields together, NULL being a value', () => {
    const h = dedupe({ key: ['user', 'page'] });
    h.push(
      [
        rec('a', 1, 1),
        rec('a', 2, 2),
        rec(null, 3, 1),
        rec(null, 4, 1),
        { user: 'a', page: null, id: 5 },
        { user: 'a', page: null, id: 6 },
        rec('a', 7, 1),
      ],
      [0, 0, 0, 0, 0, 0, 0],
    );
    expect(passed(h).map(([id]) => id)).toEqual([1, 2, 3, 5]);
    expect(h.operator.metrics?.()).toEqual({ duplicates: 3, keys: 4 });
  });

  it('tells apart values that print alike: text and numbers, NULL and "null"', () => {
    const h = operatorHarness({
      kind: 'transform.dedupe',
      config: { key: ['s'], retention: '1h' },
      inputs: [stream([['s', 'string']])],
    });
    h.push([{ s: 'null' }, { s: null }, { s: '1' }, { s: 'null' }], [0, 0, 0, 0]);
    expect(h.emitted().rows).toEqual([{ s: 'null' }, { s: null }, { s: '1' }]);
  });

  it('holds back commits from its oldest kept first record, and nothing once empty', () => {
    const h = dedupe();
    expect(h.operator.heldSince?.()).toBe(Number.POSITIVE_INFINITY);
    h.push([rec('a', 1), rec('b', 2)], [3 * MINUTE, MINUTE]);
    expect(h.operator.heldSince?.()).toBe(MINUTE);
    h.watermark(11 * MINUTE);
    expect(h.operator.heldSince?.()).toBe(3 * MINUTE);
    h.finish();
    expect(h.operator.heldSince?.()).toBe(Number.POSITIVE_INFINITY);
    expect(h.state.size().keys).toBe(0);
  });
});
