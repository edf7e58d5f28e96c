import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node, pipeline, preview, run } from '../golden/pipeline.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-nexmark-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const source = (config: object) => node('nexmark', 'source.nexmark', { rate: 1000, ...config });

describe('source.nexmark', () => {
  it('sends people, auctions and bids out of their own ports, in event-time order', async () => {
    const outcome = await run(
      pipeline(
        [source({ count: 5000 }), preview('people'), preview('auctions'), preview('bids')],
        [
          { from: 'nexmark', fromPort: 'person', to: 'people' },
          { from: 'nexmark', fromPort: 'auction', to: 'auctions' },
          { from: 'nexmark', fromPort: 'bid', to: 'bids' },
        ],
      ),
      dir,
    );
    const people = outcome.preview('people');
    const auctions = outcome.preview('auctions');
    const bids = outcome.preview('bids');
    expect([people.rows.length, auctions.rows.length, bids.rows.length]).toEqual([100, 300, 4600]);
    expect(people.rows.map((p) => p.id)).toEqual(people.rows.map((_, i) => 1000 + i));
    expect(Object.keys(bids.rows[0]!)).toEqual([
      'auction',
      'bidder',
      'price',
      'channel',
      'url',
      'dateTime',
      'extra',
    ]);
    expect(bids.times).toEqual(bids.rows.map((b) => b.dateTime));
    expect(bids.times.at(-1)).toBe(Date.parse('2026-01-01T00:00:04.999Z'));
  });

  it('never holds a watermark ahead of records still to come on another port', async () => {
    // Persons and auctions of the same seconds meet in a window join; none is late.
    const outcome = await run(
      pipeline(
        [
          source({ count: 20_000, emit: ['person', 'auction'] }),
          node('sellers', 'join.window', {
            window: { type: 'tumbling', size: '1s' },
            on: [{ left: 'id', right: 'seller' }],
          }),
          node('per_second', 'window.aggregate', {
            window: { type: 'tumbling', size: '1s' },
            aggregates: [{ name: 'n', fn: 'count' }],
          }),
          preview('joined'),
          preview('counts'),
        ],
        [
          { from: 'nexmark', fromPort: 'person', to: 'sellers', toPort: 'left' },
          { from: 'nexmark', fromPort: 'auction', to: 'sellers', toPort: 'right' },
          { from: 'nexmark', fromPort: 'auction', to: 'per_second' },
          { from: 'sellers', to: 'joined' },
          { from: 'per_second', to: 'counts' },
        ],
      ),
      dir,
    );
    expect(outcome.late('per_second')).toBe(0);
    expect(outcome.preview('counts').rows.map((r) => r.n)).toEqual(Array(20).fill(60));
    expect(outcome.preview('joined').rows.length).toBeGreaterThan(0);
  });

  it('gives the same events for the same seed and others for another seed', async () => {
    const bids = async (seed: number) => {
      const outcome = await run(
        pipeline(
          [source({ count: 2000, seed, emit: ['bid'] }), preview('bids')],
          [{ from: 'nexmark', fromPort: 'bid', to: 'bids' }],
        ),
        dir,
      );
      return outcome.preview('bids').rows;
    };
    const first = await bids(3);
    expect(await bids(3)).toEqual(first);
    expect(await bids(4)).not.toEqual(first);
  });
});
