import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intBelow, JavaRandom } from './java-random.js';

// Printed by OpenJDK 17: new Random(seed), then nextInt(), nextInt(10), nextInt(13),
// nextInt(16), nextInt(10000), nextInt(1 << 30), nextInt(2000000011), nextDouble(), nextInt(2).
const JAVA = `0:-1155484576,8,10,9,3515,331840526,1182054491,0.11700660880722513,1
42:-1170105035,3,9,0,9970,1011543762,595021505,0.7077105889551186,0
1000:-1244746321,5,3,7,9792,17102174,84623641,0.8286730570556206,0
123456789:-1442945365,0,11,4,6290,232568777,1918435533,0.4254900030738369,0
30064771171:95156854,8,9,9,5844,454384377,376680538,0.7289747083176397,0
281474976710655:1155099827,5,9,8,5604,645099219,894294477,0.3992884878242895,0`;

describe('JavaRandom', () => {
  it('draws what java.util.Random draws for the same seed', () => {
    for (const line of JAVA.split('\n')) {
      const [seed, values] = line.split(':') as [string, string];
      const r = new JavaRandom(Number(seed));
      const drawn = [
        r.nextInt(),
        r.nextIntBelow(10),
        r.nextIntBelow(13),
        r.nextIntBelow(16),
        r.nextIntBelow(10000),
        r.nextIntBelow(1 << 30),
        r.nextIntBelow(2000000011),
        r.nextDouble(),
        r.nextIntBelow(2),
      ];
      expect(drawn, `seed ${seed}`).toEqual(values.split(',').map(Number));
    }
  });

  it('draws letters as nextInt(13) and nextInt(26) calls would', () => {
    for (let seed = 0; seed < 200; seed++) {
      const fast = new JavaRandom(seed);
      const slow = new JavaRandom(seed);
      const codes = new Uint16Array(100);
      fast.letters(codes, 100, 95);
      const expected = Array.from({ length: 100 }, () =>
        slow.nextIntBelow(13) === 0 ? 95 : 97 + slow.nextIntBelow(26),
      );
      expect([...codes]).toEqual(expected);
      expect(fast.nextInt()).toBe(slow.nextInt());
    }
  });

  it('gives from next31s what as many next31 calls give, and goes on from there (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 20 }),
        (seed, count) => {
          const batch = new JavaRandom(seed);
          const calls = new JavaRandom(seed);
          const draws = new Int32Array(count);
          batch.next31s(draws);
          expect([...draws]).toEqual(Array.from({ length: count }, () => calls.next31()));
          expect(batch.nextInt()).toBe(calls.nextInt());
        },
      ),
    );
  });

  it("takes nextInt(bound) from a value of next(31) as Java's code does (property)", () => {
    // Java: for a power of two, (int)((bound * (long)r) >> 31); else r = u % bound, drawn
    // again while u - r + (bound - 1) overflows an int.
    const java = (u: number, bound: number) => {
      if ((bound & (bound - 1)) === 0) return Number((BigInt(bound) * BigInt(u)) >> 31n);
      const r = u % bound;
      return ((u - r + bound - 1) | 0) < 0 ? -1 : r;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.oneof(
          fc.integer({ min: 1, max: 0x7fffffff }),
          fc.integer({ min: 0, max: 30 }).map((b) => 2 ** b),
          fc.integer({ min: 0x40000001, max: 0x7fffffff }),
        ),
        (u, bound) => {
          expect(intBelow(u, bound)).toBe(java(u, bound));
        },
      ),
      { numRuns: 2000 },
    );
    // 2^31 - 1 is rejected by any bound above 2^30 that is not a power of two.
    expect(intBelow(0x7fffffff, 0x40000001)).toBe(-1);
  });

  it("draws letters again where Java's nextInt(13) and nextInt(26) reject a value", () => {
    // 2^31 - 1 is rejected by both bounds: seeds that draw it first (the draw of nextInt(13))
    // and second (of nextInt(26), after a first draw that is not the special character).
    const first = seedDrawing(0x7fffffffn, 0n, 1);
    let second = 0;
    for (let low = 0n; second === 0; low++) {
      const seed = seedDrawing(0x7fffffffn, low, 2);
      const u = new JavaRandom(seed).next31();
      if (u % 13 !== 0 && u < 0x7ffffff0) second = seed;
    }
    for (const seed of [first, second]) {
      const fast = new JavaRandom(seed);
      const slow = new JavaRandom(seed);
      const codes = new Uint8Array(3);
      fast.letters(codes, 3, 95);
      const expected = Array.from({ length: 3 }, () =>
        slow.nextIntBelow(13) === 0 ? 95 : 97 + slow.nextIntBelow(26),
      );
      expect([...codes], `seed ${seed}`).toEqual(expected);
      expect(fast.nextInt()).toBe(slow.nextInt());
    }
    expect(new JavaRandom(first).next31()).toBe(0x7fffffff);
  });
});

const MULTIPLIER = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

/**
 * A seed whose `nth` draw of next(31) is `value`, the state's low 17 bits then
 * being `low`: the generator walked back from that state.
 */
function seedDrawing(value: bigint, low: bigint, nth: number): number {
  // The multiplier's inverse mod 2^48 (it is odd): each Newton step doubles the good low bits.
  let inverse = MULTIPLIER;
  for (let i = 0; i < 5; i++) inverse = (inverse * (2n - MULTIPLIER * inverse)) & MASK;
  let state = (value << 17n) | low;
  for (let i = 0; i < nth; i++) state = ((state - 0xbn) * inverse) & MASK;
  return Number(state ^ MULTIPLIER);
}
