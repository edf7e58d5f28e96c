import { describe, expect, it } from 'vitest';
import { JavaRandom } from './java-random.js';

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
});
