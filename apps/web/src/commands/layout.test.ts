import { PIPELINE_FORMAT, type Pipeline } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../testing/fixtures.js';
import { layoutPositions } from './layout.js';

/** `rows` independent rows of a generator and a preview, labelled "Orders N" and "Results N". */
function rowsPipeline(order: readonly number[]): Pipeline {
  return {
    format: PIPELINE_FORMAT,
    name: 'Rows',
    nodes: order.flatMap((n) => [
      { id: `o${n}`, kind: 'source.datagen', label: `Orders ${n}`, config: {} },
      { id: `r${n}`, kind: 'sink.preview', label: `Results ${n}`, config: {} },
    ]),
    edges: order.map((n) => ({ id: `e${n}`, source: `o${n}`, target: `r${n}` })),
  };
}

describe('tidy-up', () => {
  it('places independent rows in reading order by the natural order of their labels (Orders 2 before Orders 10)', async () => {
    const shuffled = [7, 10, 1, 12, 3, 11, 2, 9, 5, 8, 4, 6];
    const positions = await layoutPositions(rowsPipeline(shuffled), testCatalog(), new Map());
    const top = (id: string) => positions.get(id)!.y;
    const left = (id: string) => positions.get(id)!.x;
    // ELK packs the rows, which are not connected to one another, left to right, then down.
    const read = [...shuffled].sort(
      (a, b) => top(`o${a}`) - top(`o${b}`) || left(`o${a}`) - left(`o${b}`),
    );
    expect(read).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Each row's steps side by side, left to right.
    for (const n of shuffled) {
      expect(top(`r${n}`)).toBe(top(`o${n}`));
      expect(positions.get(`r${n}`)!.x).toBeGreaterThan(positions.get(`o${n}`)!.x);
    }
  });
});
