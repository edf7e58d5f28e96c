import { describe, expect, it } from 'vitest';
import { operatorHarness, stream } from '../testing/harness.js';

const over = (frame: object, time: 'event' | 'processing' = 'event') =>
  operatorHarness({
    kind: 'window.over',
    config: {
      partitionBy: ['seller'],
      frame,
      aggregates: [
        { name: 'avg_price', fn: 'avg', expr: 'price' },
        { name: 'n', fn: 'count' },
      ],
    },
    inputs: [
      stream(
        [
          ['seller', 'string'],
          ['price', 'double'],
        ],
        time,
      ),
    ],
  });

describe('window.over', () => {
  it('holds records until the watermark passes them, then sends them in time order with their frame', () => {
    const h = over({ type: 'rows', preceding: 1 });
    h.push(
      [
        { seller: 'a', price: 30 },
        { seller: 'a', price: 10 },
        { seller: 'b', price: 5 },
      ],
      [300, 100, 200],
    );
    expect(h.emitted().rows).toEqual([]);
    h.watermark(250);
    // a@100 alone, then b@200; a@300 waits.
    expect(h.emitted()).toEqual({
      rows: [
        { seller: 'a', price: 10, avg_price: 10, n: 1 },
        { seller: 'b', price: 5, avg_price: 5, n: 1 },
      ],
      times: [100, 200],
    });
    h.watermark(400);
    expect(h.emitted().rows.at(-1)).toEqual({ seller: 'a', price: 30, avg_price: 20, n: 2 });
  });

  it('sends a record at or before the watermark by the late port: its key’s frame has moved on', () => {
    const h = over({ type: 'rows', preceding: 5 });
    h.push([{ seller: 'a', price: 1 }], [100]);
    h.watermark(150);
    h.push([{ seller: 'a', price: 2 }], [150]);
    expect(h.late).toEqual([{ seller: 'a', price: 2 }]);
    expect(h.emitted().rows).toHaveLength(1);
  });

  it('in processing time, sends each record at once with the rows that came before it', () => {
    const h = over({ type: 'rows', preceding: 2 }, 'processing');
    h.push(
      [1, 2, 3, 4].map((price) => ({ seller: 'a', price })),
      [0, 0, 0, 0],
    );
    expect(h.emitted().rows.map((r) => r.avg_price)).toEqual([1, 1.5, 2, 3]);
  });

  it('forgets a key once no frame of time can reach its records, so state stays bounded', () => {
    const h = over({ type: 'range', preceding: '1s' });
    for (let i = 0; i < 50; i++) h.push([{ seller: `s${i}`, price: i }], [i * 100]);
    h.watermark(5_000);
    expect(h.state.size().keys).toBeGreaterThan(0);
    // Far past every record's frame: the quiet keys are dropped.
    h.push([{ seller: 'late-comer', price: 1 }], [20_000]);
    h.watermark(30_000);
    expect(h.emitted().rows).toHaveLength(51);
    expect(h.snapshot().state.maps.keys).toEqual([]);
  });
});
