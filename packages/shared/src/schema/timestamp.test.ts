import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp, timestampProblem } from './timestamp.js';

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * What the platform's own parser makes of a string parseTimestamp takes apart
 * by arithmetic, after the same checks of the calendar.
 */
function byDateParse(value: string): number | undefined {
  if (!ISO_8601.test(value) || timestampProblem(value) !== undefined) return undefined;
  let text = value.replace(' ', 'T');
  if (text.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

/** ISO-8601 date-times, valid and not: every year, days past a month's end, odd offsets. */
const isoText = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    month: two(13),
    day: two(32),
    time: fc.option(
      fc.record({
        separator: fc.constantFrom('T', ' '),
        hour: two(24),
        minute: two(60),
        second: fc.option(two(60)),
        fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
        offset: fc.option(
          fc.oneof(
            fc.constant('Z'),
            fc
              .tuple(fc.constantFrom('+', '-'), two(25), fc.constantFrom(':', ''), two(60))
              .map((parts) => parts.join('')),
          ),
        ),
      }),
    ),
  })
  .map(({ year, month, day, time }) => {
    let text = `${year}-${month}-${day}`;
    if (time === null) return text;
    text += `${time.separator}${time.hour}:${time.minute}`;
    if (time.second !== null) {
      text += `:${time.second}`;
      if (time.fraction !== null) text += `.${time.fraction}`;
    }
    return text + (time.offset ?? '');
  });

describe('parseTimestamp', () => {
  it('reads every date-time as the platform’s Date.parse does, in UTC, and refuses what it refuses', () => {
    fc.assert(
      fc.property(isoText, (text) => {
        expect(parseTimestamp(text), text).toBe(byDateParse(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses what is not an ISO-8601 date-time as Date.parse’s reading does', () => {
    const near = isoText.chain((text) =>
      fc
        .tuple(fc.nat(text.length), fc.nat(3), fc.stringMatching(/^[0-9TZ:.+ -]{0,3}$/))
        .map(([at, cut, put]) => text.slice(0, at) + put + text.slice(at + cut)),
    );
    fc.assert(
      fc.property(near, (text) => {
        expect(parseTimestamp(text), text).toBe(byDateParse(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes every real date-time', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString();
          expect(parseTimestamp(iso), iso).toBe(date.getTime());
          expect(parseTimestamp(iso.replace('T', ' ').replace('Z', '')), iso).toBe(date.getTime());
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('refuses a day past the month’s end, a time of day that is none and an offset beyond a day', () => {
    for (const text of [
      '2023-02-29',
      '2024-04-31T00:00:00Z',
      '2024-01-01T24:00:00',
      '2024-01-01T10:60',
      '2024-01-01T00:00:00+24:00',
      '2024-01-01T00:00:00+01:60',
    ]) {
      expect(parseTimestamp(text), text).toBeUndefined();
    }
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toBe(Date.parse('0001-01-01T00:00:00Z'));
  });
});
