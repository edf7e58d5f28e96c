// java.util.Random, bit for bit: the reference generator seeds one per event
// with the event id, so porting it exactly gives the reference's own stream.
// The 48-bit state is kept as two 24-bit halves, small integers that V8 keeps
// untagged in registers and stores in fields without boxing. A step multiplies
// in 12-bit pieces with Math.imul, so it stays in int32 arithmetic: shorter
// than the same step in doubles (Math.floor and conversions on every step),
// and the steps of one event form one chain, so their latency is the cost.

const TWO_24 = 0x1000000;
const INV_TWO_24 = 1 / TWO_24;
/** The multiplier 0x5DEECE66D, split at bit 24; its low half again at bit 12. */
const MULT_HI = 0x5de;
const MULT_LO = 0xece66d;
const MULT_LO_HI = 0xece;
const MULT_LO_LO = 0x66d;
const ADDEND = 0xb;
const ACCEPTED_BELOW_13 = 0x80000000 - (0x80000000 % 13);
const ACCEPTED_BELOW_26 = 0x80000000 - (0x80000000 % 26);

export class JavaRandom {
  #hi = 0;
  #lo = 0;

  constructor(seed = 0) {
    this.setSeed(seed);
  }

  /** `new Random(seed)` for a seed in [0, 2^53): the low 48 bits, scrambled as Java does. */
  setSeed(seed: number): void {
    const high = Math.floor(seed * INV_TWO_24);
    this.#lo = (seed - high * TWO_24) ^ MULT_LO;
    this.#hi = (high % TWO_24) ^ MULT_HI;
  }

  /** Advances the state; the state is then `hi * 2^24 + lo`. */
  #step(): void {
    const lo = this.#lo;
    // lo * MULT_LO + ADDEND in 12-bit pieces: its low 24 bits are the new low
    // half, the rest (`carry`) goes to the high half, of which only the low
    // 24 bits of the sum matter (int32 wrap-around keeps them).
    const loLo = lo & 0xfff;
    const loHi = lo >>> 12;
    const p0 = Math.imul(loLo, MULT_LO_LO) + ADDEND;
    const p1 = Math.imul(loHi, MULT_LO_LO) + Math.imul(loLo, MULT_LO_HI) + (p0 >>> 12);
    const carry = Math.imul(loHi, MULT_LO_HI) + (p1 >>> 12);
    this.#hi = (Math.imul(lo, MULT_HI) + Math.imul(this.#hi, MULT_LO) + carry) & 0xffffff;
    this.#lo = ((p1 & 0xfff) << 12) | (p0 & 0xfff);
  }

  /** `next(31)`: the top 31 bits of the state. */
  next31(): number {
    this.#step();
    return (this.#hi << 7) | (this.#lo >>> 17);
  }

  /** `nextInt()`: a signed 32-bit integer. */
  nextInt(): number {
    this.#step();
    return (this.#hi << 8) | (this.#lo >>> 16);
  }

  /** `nextInt(bound)`: uniform in [0, bound), with Java's rejection of the uneven tail. */
  nextIntBelow(bound: number): number {
    let r = intBelow(this.next31(), bound);
    while (r < 0) r = intBelow(this.next31(), bound);
    return r;
  }

  /**
   * The next `out.length` values of `next(31)`, in one loop with the state in
   * locals: an event's draws taken from these cost about half as much as
   * method calls (see `NexmarkGenerator.bid`).
   */
  next31s(out: Int32Array): void {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < out.length; i++) {
      const loLo = lo & 0xfff;
      const loHi = lo >>> 12;
      const p0 = Math.imul(loLo, MULT_LO_LO) + ADDEND;
      const p1 = Math.imul(loHi, MULT_LO_LO) + Math.imul(loLo, MULT_LO_HI) + (p0 >>> 12);
      const carry = Math.imul(loHi, MULT_LO_HI) + (p1 >>> 12);
      hi = (Math.imul(lo, MULT_HI) + Math.imul(hi, MULT_LO) + carry) & 0xffffff;
      lo = ((p1 & 0xfff) << 12) | (p0 & 0xfff);
      out[i] = (hi << 7) | (lo >>> 17);
    }
    this.#lo = lo;
    this.#hi = hi;
  }

  /**
   * The letters of the reference's `nextString`, into `codes`: per letter,
   * `nextInt(13) == 0 ? special : 'a' + nextInt(26)`. The same draws as those
   * calls, with the state held in locals (this loop is most of an auction).
   */
  letters(codes: Uint8Array | Uint16Array, length: number, special: number): void {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < length; i++) {
      let bound = 13;
      let r = 0;
      for (;;) {
        const loLo = lo & 0xfff;
        const loHi = lo >>> 12;
        const p0 = Math.imul(loLo, MULT_LO_LO) + ADDEND;
        const p1 = Math.imul(loHi, MULT_LO_LO) + Math.imul(loLo, MULT_LO_HI) + (p0 >>> 12);
        const carry = Math.imul(loHi, MULT_LO_HI) + (p1 >>> 12);
        hi = (Math.imul(lo, MULT_HI) + Math.imul(hi, MULT_LO) + carry) & 0xffffff;
        lo = ((p1 & 0xfff) << 12) | (p0 & 0xfff);
        const u = (hi << 7) | (lo >>> 17);
        // Constant divisors (V8 multiplies where `u % bound` divides), and Java's
        // rejection as a threshold: it draws again when u ≥ 2^31 - 2^31 mod bound.
        if (u >= (bound === 13 ? ACCEPTED_BELOW_13 : ACCEPTED_BELOW_26)) continue;
        r = bound === 13 ? u % 13 : u % 26;
        if (bound === 13) {
          if (r === 0) break;
          bound = 26;
          continue;
        }
        break;
      }
      codes[i] = bound === 13 ? special : 97 + r;
    }
    this.#lo = lo;
    this.#hi = hi;
  }

  /** `nextDouble()`: 53 random bits in [0, 1). */
  nextDouble(): number {
    const a = this.next31();
    return double(a, this.next31());
  }
}

// Java's `nextInt(bound)` and `nextDouble()` as functions of the values of
// `next(31)` they take, for draws taken from `next31s`.

/**
 * `nextInt(bound)` from one value of `next(31)`, or -1 when Java rejects the
 * value (the uneven tail below 2^31) and draws again.
 */
export function intBelow(next31: number, bound: number): number {
  if ((bound & (bound - 1)) === 0) return Math.floor((next31 * bound) / 0x80000000);
  const r = next31 % bound;
  // Java tests `u - r + m < 0` in int arithmetic: that is, the sum overflows.
  return next31 - r + bound - 1 > 0x7fffffff ? -1 : r;
}

/** `nextDouble()` from two values of `next(31)`: its `next(26)` and `next(27)` are their top bits. */
export function double(first: number, second: number): number {
  return ((first >>> 5) * 0x8000000 + (second >>> 4)) / 0x20000000000000;
}
