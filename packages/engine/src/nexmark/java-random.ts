// java.util.Random, bit for bit: the reference generator seeds one per event
// with the event id, so porting it exactly gives the reference's own stream.
// The 48-bit state is kept as two 24-bit halves in doubles, so every product
// stays below 2^53 and no BigInt is needed.

const TWO_24 = 0x1000000;
const INV_TWO_24 = 1 / TWO_24;
/** The multiplier 0x5DEECE66D, split at bit 24. */
const MULT_HI = 0x5de;
const MULT_LO = 0xece66d;
const ADDEND = 0xb;

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
    // The low half needs the full 48-bit product (exact in a double); the high
    // half only the product's low 24 bits, which Math.imul gives exactly.
    const p0 = lo * MULT_LO + ADDEND;
    const carry = Math.floor(p0 * INV_TWO_24);
    this.#lo = p0 - carry * TWO_24;
    this.#hi = (Math.imul(lo, MULT_HI) + Math.imul(this.#hi, MULT_LO) + carry) & 0xffffff;
  }

  /** `next(31)`: the top 31 bits of the state. */
  #next31(): number {
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
    let r = this.#next31();
    const m = bound - 1;
    if ((bound & m) === 0) return Math.floor((r * bound) / 0x80000000);
    // Java tests `u - r + m < 0` in int arithmetic: that is, the sum overflows.
    let u = r;
    r = u % bound;
    while (u - r + m > 0x7fffffff) {
      u = this.#next31();
      r = u % bound;
    }
    return r;
  }

  /**
   * The letters of the reference's `nextString`, into `codes`: per letter,
   * `nextInt(13) == 0 ? special : 'a' + nextInt(26)`. The same draws as those
   * calls, with the state held in locals (this loop is most of an auction).
   */
  letters(codes: Uint16Array, length: number, special: number): void {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < length; i++) {
      let bound = 13;
      let r = 0;
      for (;;) {
        const p0 = lo * MULT_LO + ADDEND;
        const carry = Math.floor(p0 * INV_TWO_24);
        const nextHi = (Math.imul(lo, MULT_HI) + Math.imul(hi, MULT_LO) + carry) & 0xffffff;
        lo = p0 - carry * TWO_24;
        hi = nextHi;
        const u = (hi << 7) | (lo >>> 17);
        r = u % bound;
        if (u - r + bound - 1 > 0x7fffffff) continue;
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
    this.#step();
    const a = (this.#hi << 2) | (this.#lo >>> 22);
    this.#step();
    const b = (this.#hi << 3) | (this.#lo >>> 21);
    return (a * 0x8000000 + b) / 0x20000000000000;
  }
}
