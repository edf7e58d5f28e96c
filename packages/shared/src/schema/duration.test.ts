import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, readDuration } from './duration.js';
import { formatTimestamp, parseTimestamp } from './timestamp.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['0s', 0],
    ['-5s', -5_000],
  ])('parses %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 's', '1.5s', '10 s', '1w', '1m30s', '--1s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [500, '500ms'],
    [10_000, '10s'],
    [90_000, '90s'],
    [3_600_000, '1h'],
    [-86_400_000, '-1d'],
    [0, '0ms'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('durations as people type them', () => {
  it.each([
    ['5 s', '5s'],
    [' 10 seconds ', '10s'],
    ['2 Min', '2m'],
    ['1 hour', '1h'],
    ['500 ms', '500ms'],
    ['3days', '3d'],
    ['007s', '7s'],
    ['10s', '10s'],
  ])('reads %j as %j', (text, canonical) => {
    expect(readDuration(text)).toBe(canonical);
    expect(parseDuration(canonical)).toBeGreaterThanOrEqual(0);
  });

  it.each(['', 's', '1.5m', '5 fortnights', '5 s s', '-5s'])('refuses %j', (text) => {
    expect(readDuration(text)).toBeUndefined();
  });

  it('reads a negative one only where it may be', () => {
    expect(readDuration('- 5 s', { signed: true })).toBe('-5s');
  });
});

describe('timestamps', () => {
  it.each([
    ['2024-01-01T00:00:00Z', 1_704_067_200_000],
    ['2024-01-01T00:00:00.123Z', 1_704_067_200_123],
    ['2024-01-01 00:00:00', 1_704_067_200_000],
    ['2024-01-01T01:00:00+01:00', 1_704_067_200_000],
    ['2024-01-01', 1_704_067_200_000],
    ['2024-01-01T00:00:00.123456Z', 1_704_067_200_123],
    [1_704_067_200_000, 1_704_067_200_000],
  ])('reads %j', (value, ms) => {
    expect(parseTimestamp(value)).toBe(ms);
  });

  it.each(['yesterday', '2024-13-45T00:00:00Z', '', Number.NaN, null, true, '1704067200000'])(
    'refuses %j',
    (value) => {
      expect(parseTimestamp(value)).toBeUndefined();
    },
  );

  it('writes ISO-8601 UTC with milliseconds', () => {
    expect(formatTimestamp(1_704_067_200_000)).toBe('2024-01-01T00:00:00.000Z');
  });
});
