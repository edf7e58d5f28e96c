import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from './expiry-queue.js';

describe('ExpiryQueue', () => {
  it('gives keys back earliest expiry first', () => {
    const queue = new ExpiryQueue();
    queue.push(30, 'c');
    queue.push(10, 'a');
    queue.push(20, 'b');
    expect(queue.peekTime()).toBe(10);
    expect([queue.pop(), queue.pop(), queue.pop()]).toEqual(['a', 'b', 'c']);
    expect(queue.size).toBe(0);
  });

  it('pops in time order whatever the order of pushes, pops interleaved', () => {
    const step = fc.oneof(fc.integer({ min: -100, max: 100 }), fc.constant('pop' as const));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const queue = new ExpiryQueue();
        const model: number[] = [];
        for (const s of steps) {
          if (s === 'pop') {
            if (model.length === 0) continue;
            model.sort((a, b) => a - b);
            const expected = model.shift()!;
            expect(queue.peekTime()).toBe(expected);
            expect(queue.pop()).toBe(expected);
          } else {
            queue.push(s, s);
            model.push(s);
          }
        }
        expect(queue.size).toBe(model.length);
      }),
    );
  });

  it('empties on clear', () => {
    const queue = new ExpiryQueue();
    queue.push(1, 1);
    queue.clear();
    expect(queue.size).toBe(0);
  });
});
