import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockScratch, decodeBlock, FRAME_HEAD } from './block-bytes.js';

/** Blocks as row-columns.ts makes them, and fields of any plain value. */
const block = fc
  .record({
    kind: fc.constantFrom('number', 'dictionary', 'values'),
    label: fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null)),
    numbers: fc.array(fc.double()).map((a) => Float64Array.from(a)),
    flags: fc.array(fc.integer({ min: 0, max: 255 })).map((a) => Uint8Array.from(a)),
    codes: fc.array(fc.integer({ min: 0, max: 0xffff })).map((a) => Uint16Array.from(a)),
    ends: fc.array(fc.nat()).map((a) => Uint32Array.from(a)),
    // Any string: ASCII, other letters, lone surrogates; and NULLs among them.
    words: fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.constant(null))),
    other: fc.oneof(
      fc.constant(null),
      fc.array(fc.oneof(fc.integer(), fc.constant(undefined))),
      fc.bigInt(),
    ),
    // fast-check's records have no prototype; blocks are plain objects.
  })
  .map((r) => ({ ...r }));

/** The frames of `scratch`, decoded. */
function decodeFrames(framed: Buffer): object[] {
  const out: object[] = [];
  for (let at = 0; at < framed.length; ) {
    const length = Number(framed.readBigUInt64LE(at));
    out.push(decodeBlock(framed.subarray(at + FRAME_HEAD, at + FRAME_HEAD + length)));
    at += FRAME_HEAD + length;
  }
  return out;
}

describe('block bytes', () => {
  it('give back every block exactly, several to a scratch, the scratch reused', () => {
    const scratch = new BlockScratch();
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
        for (const b of blocks) scratch.frame(b);
        const decoded = decodeFrames(Buffer.from(scratch.take()));
        expect(decoded).toStrictEqual(blocks);
        decoded.forEach((d, i) => {
          const numbers = (d as { numbers: Float64Array }).numbers;
          blocks[i]!.numbers.forEach((n, j) => {
            expect(Object.is(numbers[j], n)).toBe(true);
          });
        });
      }),
    );
  });

  it('give back long runs of text exactly, whatever string comes last', () => {
    // Text is written in runs of 256 strings as ASCII until one is not: a
    // late string of other letters (or a lone surrogate) rewrites the whole.
    const scratch = new BlockScratch();
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 257, maxLength: 700 }),
        fc.oneof(fc.string({ unit: 'binary', minLength: 1 }), fc.constantFrom('é', '\ud800', '€')),
        fc.nat(),
        (ascii, other, at) => {
          const words: (string | null)[] = [...ascii, null];
          words.splice(at % words.length, 0, other);
          const block = { kind: 'values', values: words };
          scratch.frame(block);
          expect(decodeFrames(Buffer.from(scratch.take()))).toStrictEqual([block]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses bytes cut short, saying where', () => {
    const scratch = new BlockScratch();
    scratch.frame({ kind: 'values', values: ['a', 'bc', null] });
    const framed = scratch.take();
    const body = framed.subarray(FRAME_HEAD, framed.length - 1);
    expect(() => decodeBlock(Buffer.from(body))).toThrow(
      /a state block (is cut short|has a damaged text field)/,
    );
  });
});
