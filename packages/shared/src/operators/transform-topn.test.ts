// transform.topn: output-schema inference and config checks, through the
// validator as the web app and the server use them.
import { describe, expect, it } from 'vitest';
import { getOperator } from '../catalog/catalog.js';
import type { Pipeline } from '../format/pipeline.js';
import { analyzePipeline, validatePipeline } from '../validation/validate.js';

const BIDS = [
  { name: 'auction', type: 'long' },
  { name: 'bidder', type: 'long' },
  { name: 'price', type: 'double' },
  { name: 'channel', type: 'string' },
  { name: 'ok', type: 'boolean' },
  { name: 'ts', type: 'timestamp' },
];

/** Bids from a file → top N → preview; `eventTime` false drops the source's event time. */
function pipeline(config: Record<string, unknown>, eventTime = true): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Top bids',
    nodes: [
      {
        id: 'bids',
        kind: 'source.file',
        config: {
          path: 'bids.jsonl',
          format: 'jsonl',
          schema: BIDS,
          ...(eventTime ? { eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } : {}),
        },
      },
      { id: 'top', kind: 'transform.topn', config },
      { id: 'out', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'bids', target: 'top' },
      { id: 'e2', source: 'top', target: 'out' },
    ],
  };
}

const TOP_BIDS = {
  partitionBy: ['auction'],
  orderBy: [{ expr: 'price', direction: 'desc' }],
  n: 10,
};

function errors(config: Record<string, unknown>, eventTime = true) {
  return validatePipeline(pipeline({ ...TOP_BIDS, ...config }, eventTime))
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, path: d.path, message: d.message }));
}

describe('transform.topn: output schema', () => {
  it('passes the input fields through, then the rank, in the input time mode', () => {
    const { schemas, diagnostics } = analyzePipeline(pipeline(TOP_BIDS));
    expect(diagnostics).toEqual([]);
    // No time field: a record moved down a rank leaves at the time of the change, not its own.
    expect(schemas.get('top')?.out).toEqual({
      fields: [...BIDS, { name: 'rank', type: 'long' }],
      time: 'event',
    });
    const processing = analyzePipeline(pipeline({ ...TOP_BIDS, rankField: 'place' }, false));
    expect(processing.diagnostics).toEqual([]);
    expect(processing.schemas.get('top')?.out).toEqual({
      fields: [...BIDS, { name: 'place', type: 'long' }],
      time: 'processing',
    });
  });

  it('ranks over every record without a key, by several terms of any comparable type', () => {
    const orderBy = [
      { expr: 'channel', direction: 'asc' },
      { expr: 'ts', direction: 'desc' },
      { expr: 'price * 2 + CASE WHEN ok THEN 1 ELSE 0 END', direction: 'asc' },
    ];
    expect(errors({ partitionBy: undefined, orderBy, n: 1 })).toEqual([]);
    expect(errors({ partitionBy: [], orderBy, n: 1000 })).toEqual([]);
  });

  it('accepts its defaults on the default generator', () => {
    const topn = getOperator('transform.topn')!;
    const gen = getOperator('source.datagen')!;
    const diagnostics = validatePipeline({
      format: 'sluice.pipeline/v1',
      name: 'defaults',
      nodes: [
        { id: 'gen', kind: 'source.datagen', config: gen.defaults },
        { id: 'top', kind: 'transform.topn', config: topn.defaults },
        { id: 'out', kind: 'sink.blackhole' },
      ],
      edges: [
        { id: 'e1', source: 'gen', target: 'top' },
        { id: 'e2', source: 'top', target: 'out' },
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(topn.icon).toBe('list-ordered');
  });
});

describe('transform.topn: config checks', () => {
  it('names the fields there when a key field is unknown', () => {
    const found = errors({ partitionBy: ['auction', 'auctoin'] });
    expect(found).toEqual([
      {
        code: 'config.unknown-field',
        path: 'nodes[1].config.partitionBy[1]',
        message: expect.stringContaining("Cannot rank per 'auctoin': there is no such field."),
      },
    ]);
    expect(found[0]!.message).toContain('Fields here: auction, bidder, price, channel, ok, ts.');
  });

  it('refuses order values that cannot be compared: booleans and a bare NULL', () => {
    const found = errors({
      orderBy: [
        { expr: 'price', direction: 'desc' },
        { expr: 'ok', direction: 'desc' },
        { expr: 'NULL', direction: 'asc' },
        { expr: 'price > 10', direction: 'asc' },
      ],
    });
    expect(found.map((d) => [d.code, d.path])).toEqual([
      ['config.order-type', 'nodes[1].config.orderBy[1].expr'],
      ['config.order-type', 'nodes[1].config.orderBy[2].expr'],
      ['config.order-type', 'nodes[1].config.orderBy[3].expr'],
    ]);
    expect(found[0]!.message).toContain(
      'Cannot order by a boolean: order by a number, text or timestamp.',
    );
    expect(found[1]!.message).toContain('Cannot order by NULL');
  });

  it('reports a wrong order expression at its own path', () => {
    const found = errors({
      orderBy: [
        { expr: 'price', direction: 'desc' },
        { expr: 'prise', direction: 'desc' },
      ],
    });
    expect(found).toEqual([
      expect.objectContaining({
        code: 'expression.unknown-field',
        path: 'nodes[1].config.orderBy[1].expr',
      }),
    ]);
  });

  it('refuses a rank field that clashes with an input field or is reserved', () => {
    expect(errors({ rankField: 'price' })).toEqual([
      {
        code: 'config.duplicate-field',
        path: 'nodes[1].config.rankField',
        message: expect.stringContaining(
          "The input already has a field 'price': give the rank field another name.",
        ),
      },
    ]);
    for (const reserved of ['__proto__', 'constructor']) {
      expect(errors({ rankField: reserved })).toEqual([
        expect.objectContaining({
          path: 'nodes[1].config.rankField',
          message: expect.stringContaining(`'${reserved}' is reserved`),
        }),
      ]);
    }
  });

  it('forgets idle keys only by event time, after a retention longer than 0', () => {
    expect(errors({ retention: '1h' })).toEqual([]);
    expect(errors({ retention: '0s' })).toEqual([
      expect.objectContaining({ code: 'config.duration', path: 'nodes[1].config.retention' }),
    ]);
    const noEventTime = errors({ retention: '1h' }, false);
    expect(noEventTime).toEqual([
      expect.objectContaining({ code: 'node.no-event-time', path: 'nodes[1].config.retention' }),
    ]);
    expect(noEventTime[0]!.message).toContain(
      "The in input has no event time, which 'Forget idle keys after' needs.",
    );
  });

  it.each([
    ['n of 0', { n: 0 }, 'n'],
    ['n above 1000', { n: 1001 }, 'n'],
    ['a fractional n', { n: 2.5 }, 'n'],
    ['no order', { orderBy: [] }, 'orderBy'],
    [
      'an unknown direction',
      { orderBy: [{ expr: 'price', direction: 'up' }] },
      'orderBy[0].direction',
    ],
    ['an order term without a value', { orderBy: [{ direction: 'asc' }] }, 'orderBy[0].expr'],
  ])('refuses %s at its path', (_, config, path) => {
    expect(errors(config)).toEqual([
      expect.objectContaining({ code: 'config.invalid', path: `nodes[1].config.${path}` }),
    ]);
  });

  it('needs n and an order', () => {
    const { n: _, orderBy: __, ...rest } = TOP_BIDS;
    expect(
      validatePipeline(pipeline(rest))
        .filter((d) => d.severity === 'error')
        .map((d) => d.path),
    ).toEqual(['nodes[1].config.orderBy', 'nodes[1].config.n']);
  });
});
