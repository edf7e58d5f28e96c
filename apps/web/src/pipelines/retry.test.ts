import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.js';
import { Backoff, RETRY_MAX_MS, retryDelay, saveFailureOf } from './retry.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the retry schedule', () => {
  it('waits 1 s, 2 s, 4 s … doubling, and never more than 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelay)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(retryDelay(1000)).toBe(RETRY_MAX_MS);
  });

  it('tries again after each failure at its time, and from the first delay after a reset', async () => {
    vi.useFakeTimers();
    const tries: number[] = [];
    const backoff = new Backoff(() => tries.push(Date.now()));
    const start = Date.now();
    expect(backoff.failed()).toBe(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(tries).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(tries.map((t) => t - start)).toEqual([1_000]);
    expect(backoff.failed()).toBe(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(backoff.failed()).toBe(4_000);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(tries.map((t) => t - start)).toEqual([1_000, 3_000, 7_000]);
    backoff.reset();
    expect(backoff.failed()).toBe(1_000);
    backoff.reset();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tries).toHaveLength(3);
  });

  it('tries at once when told to, only while a try is waiting', async () => {
    vi.useFakeTimers();
    let tries = 0;
    const backoff = new Backoff(() => tries++);
    backoff.now();
    expect(tries).toBe(0);
    backoff.failed();
    expect(backoff.waiting).toBe(true);
    backoff.now();
    expect(tries).toBe(1);
    expect(backoff.waiting).toBe(false);
    // The try it replaced does not come as well.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(tries).toBe(1);
    // The count goes on: the next failure waits longer.
    expect(backoff.failed()).toBe(2_000);
  });
});

describe('which failures are tried again', () => {
  const failure = (status: number) => saveFailureOf(new ApiError(status, 'x', 'x'));

  it('tries again when the server cannot be reached, fails, or asks to wait', () => {
    expect([0, 500, 502, 503, 504, 408, 429].map(failure)).toEqual(Array(7).fill('retry'));
    expect(saveFailureOf(new TypeError('fetch failed'))).toBe('retry');
  });

  it('does not try again a conflict, a refusal or a lost session', () => {
    expect(failure(409)).toBe('conflict');
    expect(failure(400)).toBe('refused');
    expect(failure(413)).toBe('refused');
    expect(failure(404)).toBe('refused');
    expect(failure(401)).toBe('signed-out');
  });
});
