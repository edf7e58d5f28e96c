// The reference generator's strings. Those drawn from small sets (names,
// cities, card digits, channels and their URLs) are made once; `extra`
// padding is cut from a pool instead of being drawn letter by letter.
import { JavaRandom } from './java-random.js';

const MIN_STRING_LENGTH = 3;
const SPACE = 32;
const A = 97;

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES =
  'Phoenix,Los Angeles,San Francisco,Boise,Portland,Bend,Redmond,Seattle,Kent,Cheyenne'.split(',');
const FIRST_NAMES = 'Peter,Paul,Luke,John,Saul,Vicky,Kate,Julie,Sarah,Deiter,Walter'.split(',');
const LAST_NAMES = 'Shultz,Abrams,Spencer,White,Bartels,Walton,Smith,Jones,Noris'.split(',');
const NAMES = FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`));
const CARD_GROUPS = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/**
 * A string's letters, all ASCII: decoding them as latin1 from a Buffer makes
 * the string 3 to 5 times faster than String.fromCharCode.apply on a subarray.
 */
const codes = Buffer.alloc(128);

/** `nextString`: 3 to maxLength - 1 letters, each 1 in 13 a `special`, trimmed as Java's trim(). */
export function nextString(random: JavaRandom, maxLength: number, special = SPACE): string {
  const length = MIN_STRING_LENGTH + random.nextIntBelow(maxLength - MIN_STRING_LENGTH);
  random.letters(codes, length, special);
  let start = 0;
  let end = length;
  if (special === SPACE) {
    while (start < end && codes[start] === SPACE) start++;
    while (end > start && codes[end - 1] === SPACE) end--;
  }
  return codes.toString('latin1', start, end);
}

export function nextPersonName(random: JavaRandom): string {
  const first = random.nextIntBelow(FIRST_NAMES.length);
  return NAMES[first * LAST_NAMES.length + random.nextIntBelow(LAST_NAMES.length)]!;
}

export function nextEmail(random: JavaRandom): string {
  return `${nextString(random, 7)}@${nextString(random, 5)}.com`;
}

export function nextCreditCard(random: JavaRandom): string {
  const a = CARD_GROUPS[random.nextIntBelow(10_000)];
  const b = CARD_GROUPS[random.nextIntBelow(10_000)];
  const c = CARD_GROUPS[random.nextIntBelow(10_000)];
  return `${a} ${b} ${c} ${CARD_GROUPS[random.nextIntBelow(10_000)]}`;
}

export const nextUSCity = (random: JavaRandom): string =>
  US_CITIES[random.nextIntBelow(US_CITIES.length)]!;
export const nextUSState = (random: JavaRandom): string =>
  US_STATES[random.nextIntBelow(US_STATES.length)]!;

/** `nextExactString`: letters six at a time from one int; Java's `%` keeps the sign, hence 'H'..'z'. */
export function nextExactString(random: JavaRandom, length: number): string {
  const out: number[] = [];
  let rnd = 0;
  let left = 0;
  while (length-- > 0) {
    if (left === 0) {
      rnd = random.nextInt();
      left = 6;
    }
    out.push(A + (rnd % 26));
    rnd = Math.trunc(rnd / 26);
    left--;
  }
  return String.fromCharCode(...out);
}

const EXTRA_POOL_SPAN = 1 << 16;
/** The largest padding: an event with no other bytes, at 1.2 times the largest average. */
const MAX_EXTRA = 600;
let extraPool: string | undefined;

/**
 * `nextExtra`: padding that brings an event to `averageSize` bytes on average
 * (uniform within ±20%). The length is drawn as the reference draws it; the
 * letters are a slice of a pool of the reference's letters, at a place hashed
 * from the event id, so no string is built and no more is drawn per event.
 */
export function nextExtra(
  random: JavaRandom,
  eventId: number,
  currentSize: number,
  averageSize: number,
): string {
  if (currentSize > averageSize) return '';
  const [shortest, spread] = extraLengths(currentSize, averageSize);
  return extraOf(eventId, shortest + (spread === 0 ? 0 : random.nextIntBelow(spread)));
}

/**
 * The lengths `nextExtra` draws from, for an event of `currentSize` bytes
 * without it (at most `averageSize`): the shortest, and how many lengths from
 * there the draw `nextInt(spread)` picks among (0: no draw, the shortest).
 */
export function extraLengths(currentSize: number, averageSize: number): [number, number] {
  const desired = averageSize - currentSize;
  const delta = Math.round(desired * 0.2);
  return [desired - delta, 2 * delta];
}

/** `length` letters of the pool, at a place hashed from the event id. */
export function extraOf(eventId: number, length: number): string {
  extraPool ??= poolOfLetters();
  const at = Math.imul(eventId, 0x9e3779b1) >>> 16;
  return extraPool.substring(at, at + length);
}

function poolOfLetters(): string {
  const random = new JavaRandom(0x5eed);
  let pool = '';
  while (pool.length < EXTRA_POOL_SPAN + MAX_EXTRA) pool += nextExactString(random, 6000);
  return pool;
}

/** `https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1`, path parts drawn with `_` as the special. */
export function baseUrl(random: JavaRandom): string {
  const part = () => nextString(random, 5, 95);
  return `https://www.nexmark.com/${part()}/${part()}/${part()}/item.htm?query=1`;
}

/** Java's Integer.reverse: the 32 bits in reverse order, as a signed int. */
export function reverseBits(value: number): number {
  let v = value | 0;
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (v & 1);
    v >>>= 1;
  }
  return r | 0;
}
