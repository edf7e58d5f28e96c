import { epochMillis, MONTHS, padNumber, timestampPart } from './datetime.js';

/**
 * Date patterns in the letters of Java's SimpleDateFormat (as DATE_FORMAT and
 * TO_TIMESTAMP use them in Flink): y M d H m s S, text in single quotes, ''
 * for a quote; any other character is copied as is. Always UTC.
 */

export type DatePatternLetter = 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S';

export type DateFormatElement =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly letter: DatePatternLetter; readonly count: number };

export type DateFormat = readonly DateFormatElement[];

const LETTERS = new Set<string>(['y', 'M', 'd', 'H', 'm', 's', 'S']);
export const SUPPORTED_DATE_LETTERS =
  'y (year), M (month), d (day), H (hour 0-23), m (minute), s (second), S (fraction of a second)';

/** The elements of a date pattern, or a message saying what is wrong with it. */
export function parseDateFormat(pattern: string): DateFormat | string {
  const out: DateFormatElement[] = [];
  let text = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        text += "'";
        i += 2;
        continue;
      }
      // Quoted text; inside it, '' stands for one quote.
      const open = i;
      i++;
      for (;;) {
        if (i >= pattern.length) {
          return `the quoted text starting at position ${open + 1} is not closed with '`;
        }
        if (pattern[i] === "'") {
          if (pattern[i + 1] !== "'") break;
          text += "'";
          i += 2;
        } else {
          text += pattern[i];
          i++;
        }
      }
      i++;
    } else if (LETTERS.has(c)) {
      let count = 1;
      while (pattern[i + count] === c) count++;
      if (text) out.push({ kind: 'text', text });
      text = '';
      out.push({ kind: 'field', letter: c as DatePatternLetter, count });
      i += count;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return `the letter '${c}' is not supported; use ${SUPPORTED_DATE_LETTERS}, and put other text in single quotes`;
    } else {
      text += c;
      i++;
    }
  }
  if (text) out.push({ kind: 'text', text });
  return out;
}

export function formatWithDateFormat(ms: number, format: DateFormat): string {
  let out = '';
  for (const e of format) {
    if (e.kind === 'text') {
      out += e.text;
      continue;
    }
    switch (e.letter) {
      case 'y': {
        const year = timestampPart(ms, 'year');
        out += e.count === 2 ? padNumber(((year % 100) + 100) % 100, 2) : padNumber(year, e.count);
        break;
      }
      case 'M': {
        const month = timestampPart(ms, 'month');
        const name = MONTHS[month - 1] ?? '';
        out += e.count >= 4 ? name : e.count === 3 ? name.slice(0, 3) : padNumber(month, e.count);
        break;
      }
      case 'd':
        out += padNumber(timestampPart(ms, 'day'), e.count);
        break;
      case 'H':
        out += padNumber(timestampPart(ms, 'hour'), e.count);
        break;
      case 'm':
        out += padNumber(timestampPart(ms, 'minute'), e.count);
        break;
      case 's':
        out += padNumber(timestampPart(ms, 'second'), e.count);
        break;
      case 'S': {
        const millis = padNumber(timestampPart(ms, 'millisecond'), 3);
        out += e.count <= 3 ? millis.slice(0, e.count) : millis.padEnd(e.count, '0');
        break;
      }
    }
  }
  return out;
}

function isNumericField(e: DateFormatElement | undefined): boolean {
  return e?.kind === 'field' && !(e.letter === 'M' && e.count >= 3);
}

/** Reads `text` with the pattern, as UTC epoch milliseconds; undefined if it does not fit. */
export function parseWithDateFormat(text: string, format: DateFormat): number | undefined {
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let i = 0;
  for (let k = 0; k < format.length; k++) {
    const e = format[k] as DateFormatElement;
    if (e.kind === 'text') {
      if (!text.startsWith(e.text, i)) return undefined;
      i += e.text.length;
      continue;
    }
    if (e.letter === 'M' && e.count >= 3) {
      const rest = text.slice(i, i + 9).toLowerCase();
      const index = MONTHS.findIndex((m) => rest.startsWith(m.toLowerCase()));
      const short = MONTHS.findIndex((m) => rest.startsWith(m.slice(0, 3).toLowerCase()));
      if (index >= 0) {
        month = index + 1;
        i += (MONTHS[index] as string).length;
      } else if (short >= 0) {
        month = short + 1;
        i += 3;
      } else return undefined;
      continue;
    }
    // Adjacent numeric fields (yyyyMMdd) are told apart by their widths.
    const fixed = isNumericField(format[k + 1]);
    const max = fixed ? e.count : 9;
    let end = i;
    while (end < text.length && end - i < max && text[end]! >= '0' && text[end]! <= '9') end++;
    if (end === i || (fixed && end - i !== e.count)) return undefined;
    const digits = text.slice(i, end);
    const value = Number(digits);
    i = end;
    switch (e.letter) {
      case 'y':
        year = e.count === 2 && digits.length === 2 ? 2000 + value : value;
        break;
      case 'M':
        month = value;
        break;
      case 'd':
        day = value;
        break;
      case 'H':
        hour = value;
        break;
      case 'm':
        minute = value;
        break;
      case 's':
        second = value;
        break;
      case 'S':
        millis = Number(digits.padEnd(3, '0').slice(0, 3));
        break;
    }
  }
  if (i !== text.length) return undefined;
  return epochMillis(year, month, day, hour, minute, second, millis);
}
