import { describe, expect, it } from 'vitest';
import { formatWithDateFormat, parseDateFormat, parseWithDateFormat } from './date-format.js';
import { formatSqlTimestamp, parseSqlTimestamp, timestampPart } from './datetime.js';
import { EXPRESSION_FUNCTIONS } from './functions.js';
import { parseLikePattern } from './like.js';
import { closest } from './problem.js';

describe('parseLikePattern', () => {
  it.each([
    ['abc', undefined, [['abc']]],
    ['a%b', undefined, [['a'], ['b']]],
    ['%', undefined, [[], []]],
    ['a__b%', undefined, [['a', 2, 'b'], []]],
    ['10!%!_!!', '!', [['10%_!']]],
    ['%%', '%', [['%']]],
  ] as const)('%s (escape %s)', (pattern, escapeChar, parts) => {
    expect(parseLikePattern(pattern, escapeChar)).toEqual({ parts });
  });

  it.each([
    ['a!b', '!', "the escape character '!' at position 2 must be followed by %, _ or another '!'"],
    ['a!', '!', "the escape character '!' at position 2"],
    ['a', '', 'exactly one character'],
    ['a', 'ab', 'exactly one character'],
  ])('refuses %s with escape %s', (pattern, escapeChar, message) => {
    expect(parseLikePattern(pattern, escapeChar)).toContain(message);
  });
});

describe('date formats', () => {
  const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
  it.each([
    ['yyyy-MM-dd HH:mm:ss.SSS', '2024-01-02 03:04:05.006'],
    ["yyyyMMdd'T'HHmmss", '20240102T030405'],
    ["'o''clock' H", "o'clock 3"],
    ["''yy''", "'24'"],
    ['MMM MMMM', 'Jan January'],
    ['SSSSS', '00600'],
  ])('%s formats and reads back', (pattern, text) => {
    const format = parseDateFormat(pattern);
    if (typeof format === 'string') throw new Error(format);
    expect(formatWithDateFormat(ms, format)).toBe(text);
    const back = parseWithDateFormat(text, format);
    expect(back).toBeDefined();
    expect(formatWithDateFormat(back!, format)).toBe(text);
  });

  it.each([
    ['yyyy-MM-dd hh', "the letter 'h' is not supported"],
    ["yyyy 'open", 'not closed'],
    ['EEE', "the letter 'E'"],
  ])('refuses %s', (pattern, message) => {
    expect(parseDateFormat(pattern)).toContain(message);
  });

  it('refuses text that does not fit the format or names an impossible date', () => {
    const format = parseDateFormat('yyyy-MM-dd') as Exclude<
      ReturnType<typeof parseDateFormat>,
      string
    >;
    expect(parseWithDateFormat('2024-1-2', format)).toBe(Date.UTC(2024, 0, 2));
    expect(parseWithDateFormat('2023-02-29', format)).toBeUndefined();
    expect(parseWithDateFormat('2024-01-02 ', format)).toBeUndefined();
    expect(parseWithDateFormat('2024/01/02', format)).toBeUndefined();
  });
});

describe('SQL timestamps and calendar parts', () => {
  it.each([
    ['2024-01-01 00:00:00', Date.UTC(2024, 0, 1)],
    ['2024-01-01', Date.UTC(2024, 0, 1)],
    ['2024-01-01T12:30', Date.UTC(2024, 0, 1, 12, 30)],
    ['2024-02-29 23:59:59.123456', Date.UTC(2024, 1, 29, 23, 59, 59, 123)],
    ['1900-03-01 00:00:00', Date.UTC(1900, 2, 1)],
    ['2023-02-29', undefined],
    ['2024-01-01 24:00:00', undefined],
    ['01/01/2024', undefined],
  ])('%s', (text, expected) => {
    expect(parseSqlTimestamp(text)).toBe(expected);
  });

  it('agrees with Date on calendar parts across eras, including before 1970', () => {
    for (const ms of [
      0, -1, 951_782_400_000, -2_208_988_800_001, 253_402_300_799_999, 1_709_251_199_999,
    ]) {
      const d = new Date(ms);
      expect(timestampPart(ms, 'year')).toBe(d.getUTCFullYear());
      expect(timestampPart(ms, 'month')).toBe(d.getUTCMonth() + 1);
      expect(timestampPart(ms, 'day')).toBe(d.getUTCDate());
      expect(timestampPart(ms, 'hour')).toBe(d.getUTCHours());
      expect(timestampPart(ms, 'second')).toBe(d.getUTCSeconds());
      expect(timestampPart(ms, 'millisecond')).toBe(d.getUTCMilliseconds());
      expect(formatSqlTimestamp(ms)).toBe(d.toISOString().replace('T', ' ').replace('Z', ''));
    }
  });
});

describe('catalog and suggestions', () => {
  it('documents every function with a signature starting with its name, and an example', () => {
    for (const f of EXPRESSION_FUNCTIONS) {
      expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
      expect(f.example).toContain(f.name);
      expect(f.description.length).toBeGreaterThan(10);
    }
    expect(new Set(EXPRESSION_FUNCTIONS.map((f) => f.name)).size).toBe(EXPRESSION_FUNCTIONS.length);
  });

  it('suggests the closest name, preferring a case-insensitive match, and nothing when far', () => {
    expect(closest('amout', ['order_id', 'amount'])).toBe('amount');
    expect(closest('AMOUNT', ['amount', 'amounts'])).toBe('amount');
    expect(closest('zebra', ['amount', 'country'])).toBeUndefined();
  });
});
