// Small pipelines, one or a few per kind, that the golden tests compile: a
// Kafka source of orders (or two, for joins and unions), the step, a sink.
import type { Pipeline, PipelineEdge, PipelineNode } from '@sluice/shared';

const ORDER_FIELDS = [
  { name: 'order_id', type: 'long' },
  { name: 'customer', type: 'string' },
  { name: 'category', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'ts', type: 'timestamp' },
];

function kafkaSource(id: string, topic: string, extra: Record<string, unknown> = {}): PipelineNode {
  return {
    id,
    kind: 'source.kafka',
    config: {
      bootstrapServers: 'localhost:9092',
      topics: [topic],
      group: 'sluice-cases',
      format: 'json',
      schema: ORDER_FIELDS,
      eventTime: { field: 'ts', maxOutOfOrderness: '5s' },
      ...extra,
    },
  };
}

function withoutEventTime(source: PipelineNode): PipelineNode {
  const { eventTime: _, ...config } = source.config ?? {};
  return { ...source, config };
}

function kafkaSink(id = 'out', extra: Record<string, unknown> = {}): PipelineNode {
  return {
    id,
    kind: 'sink.kafka',
    config: { bootstrapServers: 'localhost:9092', topic: `${id}-topic`, format: 'json', ...extra },
  };
}

function node(id: string, kind: string, config: Record<string, unknown>): PipelineNode {
  return { id, kind, config };
}

function edge(
  source: string,
  target: string,
  ports: { from?: string; to?: string } = {},
): PipelineEdge {
  return {
    id: `${source}-${target}${ports.to ? `-${ports.to}` : ''}`,
    source,
    target,
    ...(ports.from ? { sourcePort: ports.from } : {}),
    ...(ports.to ? { targetPort: ports.to } : {}),
  };
}

function pipeline(
  name: string,
  nodes: PipelineNode[],
  edges: PipelineEdge[],
  settings?: Pipeline['settings'],
): Pipeline {
  return { format: 'sluice.pipeline/v1', name, nodes, edges, ...(settings ? { settings } : {}) };
}

/** orders → step → out. */
function step(
  name: string,
  kind: string,
  config: Record<string, unknown>,
  sink = kafkaSink(),
): Pipeline {
  return pipeline(
    name,
    [kafkaSource('orders', 'orders'), node('step', kind, config), sink],
    [edge('orders', 'step'), edge('step', sink.id)],
  );
}

/** orders (left) and payments (right) → join → out. */
function join(name: string, kind: string, config: Record<string, unknown>): Pipeline {
  return pipeline(
    name,
    [
      kafkaSource('orders', 'orders'),
      {
        ...kafkaSource('payments', 'payments'),
        config: {
          ...kafkaSource('payments', 'payments').config,
          schema: [
            { name: 'order_id', type: 'long' },
            { name: 'method', type: 'string' },
            { name: 'ts', type: 'timestamp' },
          ],
        },
      },
      node('step', kind, { on: [{ left: 'order_id', right: 'order_id' }], ...config }),
      kafkaSink(),
    ],
    [
      edge('orders', 'step', { to: 'left' }),
      edge('payments', 'step', { to: 'right' }),
      edge('step', 'out'),
    ],
  );
}

const COUNTS = [
  { name: 'orders', fn: 'count' },
  { name: 'customers', fn: 'count_distinct', expr: 'customer' },
  { name: 'revenue', fn: 'sum', expr: 'amount' },
  { name: 'average', fn: 'avg', expr: 'order_id' },
  { name: 'smallest', fn: 'min', expr: 'amount' },
  { name: 'latest', fn: 'max', expr: 'ts' },
  { name: 'big', fn: 'count', where: 'amount >= 100' },
];

export const CASES: Readonly<Record<string, Pipeline>> = {
  'source-kafka-options': pipeline(
    'Kafka options',
    [
      kafkaSource('orders', 'orders', {
        topics: ['orders-eu', 'orders-us'],
        format: 'csv',
        csv: { delimiter: ';' },
        startFrom: 'timestamp',
        startTimestamp: '2024-05-01T00:00:00Z',
        keyField: 'message_key',
        timestampField: 'written_at',
        headerFields: [{ header: 'trace-id', field: 'trace' }],
        deadLetterTopic: 'orders.dlq',
        eventTime: { field: 'ts', maxOutOfOrderness: '0s', idleTimeout: '30s' },
      }),
      kafkaSink('out', { format: 'csv', keyField: 'order_id', compression: 'zstd' }),
    ],
    [edge('orders', 'out')],
  ),
  'source-kafka-processing-time': pipeline(
    'No event time, no checkpoints',
    [
      withoutEventTime(kafkaSource('orders', 'orders', { startFrom: 'latest' })),
      kafkaSink('out', { keyField: 'customer' }),
    ],
    [edge('orders', 'out')],
    { checkpoints: { enabled: false } },
  ),
  'source-file': pipeline(
    'File to file',
    [
      node('orders', 'source.file', {
        path: 'orders.jsonl',
        format: 'jsonl',
        schema: ORDER_FIELDS,
        eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        replayRate: 100,
      }),
      node('out', 'sink.file', { path: 'out/orders.csv', format: 'csv', csv: { header: false } }),
    ],
    [edge('orders', 'out')],
  ),
  'source-file-csv-header': pipeline(
    'A CSV file with a header row',
    [
      node('orders', 'source.file', { path: 'orders.csv', format: 'csv', schema: ORDER_FIELDS }),
      node('out', 'sink.blackhole', {}),
    ],
    [edge('orders', 'out')],
  ),
  'source-datagen': pipeline(
    'Generated',
    [
      node('gen', 'source.datagen', {
        fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence', start: 1 } }],
        count: 10,
      }),
      node('out', 'sink.console', {}),
    ],
    [edge('gen', 'out')],
  ),
  'source-nexmark': pipeline(
    'Nexmark',
    [node('nexmark', 'source.nexmark', { emit: ['bid'] }), node('out', 'sink.blackhole', {})],
    [edge('nexmark', 'out', { from: 'bid' })],
  ),
  filter: step('Filter', 'transform.filter', {
    where:
      "amount >= 20 AND category IN ('books', 'games') AND customer NOT LIKE 'test!_%' ESCAPE '!'",
  }),
  'map-expressions': step('Expressions', 'transform.map', {
    keepInput: true,
    fields: [
      { name: 'net', expr: 'amount * 0.8 - 1.5 + order_id % 7' },
      {
        name: 'label',
        expr: "UPPER(TRIM(LEADING 'x' FROM category)) || '-' || CAST(order_id AS STRING)",
      },
      { name: 'at', expr: "POSITION('a' IN customer)" },
      {
        name: 'size',
        expr: "CASE WHEN amount BETWEEN 0 AND 10 THEN 'small' WHEN amount IS NULL THEN 'none' ELSE 'big' END",
      },
      { name: 'year', expr: 'YEAR(ts)' },
      { name: 'day', expr: "DATE_FORMAT(ts, 'yyyy-MM-dd')" },
      { name: 'recent', expr: "ts >= TIMESTAMP '2024-05-01 00:00:00'" },
      { name: 'parsed', expr: "TO_TIMESTAMP('2024-05-01 10:00:00')" },
      { name: 'whole', expr: 'FLOOR(amount)' },
      { name: 'safe', expr: 'TRY_CAST(customer AS BIGINT)' },
      { name: 'if_big', expr: "IF(amount > 100, 'yes', 'no')" },
    ],
  }),
  'map-drops-time': step('Time travels hidden', 'transform.map', {
    fields: [
      { name: 'order_id', expr: 'order_id' },
      { name: 'amount', expr: 'amount' },
    ],
  }),
  'map-text-to-time': step('Text and numbers to timestamps', 'transform.map', {
    fields: [
      { name: 'at', expr: 'TO_TIMESTAMP_LTZ(order_id, 3)' },
      { name: 'read', expr: "CAST('2024-05-01 10:00:00' AS TIMESTAMP)" },
    ],
  }),
  union: pipeline(
    'Union',
    [
      kafkaSource('eu', 'orders-eu'),
      kafkaSource('us', 'orders-us'),
      node('both', 'transform.union', {}),
      kafkaSink(),
    ],
    [edge('eu', 'both'), edge('us', 'both'), edge('both', 'out')],
  ),
  'window-tumbling': step('Tumbling', 'window.aggregate', {
    window: { type: 'tumbling', size: '1m' },
    groupBy: ['category'],
    aggregates: COUNTS,
  }),
  'window-hopping': step('Hopping, first and last, allowed lateness', 'window.aggregate', {
    window: { type: 'hopping', size: '10s', slide: '2s' },
    groupBy: [],
    aggregates: [
      { name: 'first_amount', fn: 'first', expr: 'amount' },
      { name: 'last_amount', fn: 'last', expr: 'amount' },
    ],
    allowedLateness: '30s',
  }),
  'window-session': step('Session', 'window.aggregate', {
    window: { type: 'session', gap: '90s' },
    groupBy: ['customer'],
    aggregates: [{ name: 'orders', fn: 'count' }],
  }),
  'window-processing-time': step('Processing time', 'window.aggregate', {
    window: { type: 'tumbling', size: '1s' },
    time: 'processing',
    aggregates: [{ name: 'orders', fn: 'count' }],
  }),
  'window-late-port': pipeline(
    'Late records routed',
    [
      kafkaSource('orders', 'orders'),
      node('step', 'window.aggregate', {
        window: { type: 'tumbling', size: '1m' },
        aggregates: [{ name: 'orders', fn: 'count' }],
      }),
      kafkaSink(),
      kafkaSink('late'),
    ],
    [edge('orders', 'step'), edge('step', 'out'), edge('step', 'late', { from: 'late' })],
  ),
  'window-of-windows': pipeline(
    'A window of windows',
    [
      kafkaSource('orders', 'orders'),
      node('per_category', 'window.aggregate', {
        window: { type: 'hopping', size: '10s', slide: '2s' },
        groupBy: ['category'],
        aggregates: [{ name: 'num', fn: 'count' }],
      }),
      node('busiest', 'window.aggregate', {
        window: { type: 'tumbling', size: '2s' },
        aggregates: [
          { name: 'most', fn: 'max', expr: 'num' },
          { name: 'first_start', fn: 'min', expr: 'window_start' },
        ],
      }),
      kafkaSink(),
    ],
    [edge('orders', 'per_category'), edge('per_category', 'busiest'), edge('busiest', 'out')],
  ),
  'aggregate-running': step('Running aggregate', 'transform.aggregate', {
    groupBy: ['customer'],
    aggregates: [
      { name: 'orders', fn: 'count' },
      { name: 'spent', fn: 'sum', expr: 'amount' },
    ],
    retention: '1h',
  }),
  'aggregate-global': step('A running aggregate without keys', 'transform.aggregate', {
    aggregates: [{ name: 'orders', fn: 'count' }],
  }),
  'aggregate-update-key': step('Updates keyed by', 'transform.aggregate', {
    groupBy: ['category'],
    aggregates: [{ name: 'revenue', fn: 'sum', expr: 'amount' }],
    updateKey: ['order_id'],
  }),
  topn: step('Top 3 per category', 'transform.topn', {
    partitionBy: ['category'],
    orderBy: [
      { expr: 'amount * 2', direction: 'desc' },
      { expr: 'ts', direction: 'asc' },
    ],
    n: 3,
    rankField: 'place',
    retention: '1d',
  }),
  'topn-to-file': pipeline(
    'An update stream into a file',
    [
      kafkaSource('orders', 'orders'),
      node('step', 'transform.topn', { orderBy: [{ expr: 'amount', direction: 'desc' }], n: 1 }),
      node('out', 'sink.file', { path: 'best.jsonl', format: 'jsonl' }),
    ],
    [edge('orders', 'step'), edge('step', 'out')],
  ),
  'window-after-updates': pipeline(
    'A window over an update stream',
    [
      kafkaSource('orders', 'orders'),
      node('running', 'transform.aggregate', {
        groupBy: ['customer'],
        aggregates: [{ name: 'orders', fn: 'count' }],
      }),
      node('step', 'window.aggregate', {
        window: { type: 'tumbling', size: '1m' },
        aggregates: [{ name: 'n', fn: 'count' }],
      }),
      kafkaSink(),
    ],
    [edge('orders', 'running'), edge('running', 'step'), edge('step', 'out')],
  ),
  dedupe: step('Deduplicate', 'transform.dedupe', { key: ['order_id'], retention: '10m' }),
  'join-window-inner': join('Window join', 'join.window', {
    window: { type: 'tumbling', size: '10s' },
    where: 'amount > 10',
  }),
  'join-window-left': join('Left window join', 'join.window', {
    window: { type: 'tumbling', size: '10s' },
    type: 'left',
    where: "method <> 'cash' AND right_ts >= ts",
  }),
  'join-interval': join('Interval join', 'join.interval', { lower: '-5s', upper: '1m' }),
  'join-regular': join('Regular join', 'join.regular', {
    leftRetention: '1h',
    rightRetention: '0s',
    rightPrefix: 'payment_',
  }),
  sinks: pipeline(
    'Every sink',
    [
      kafkaSource('orders', 'orders'),
      node('console', 'sink.console', {}),
      node('discard', 'sink.blackhole', {}),
      node('preview', 'sink.preview', {}),
      kafkaSink('exactly', { keyField: 'customer' }),
      kafkaSink('at_least', { delivery: 'at-least-once' }),
    ],
    [
      edge('orders', 'console'),
      edge('orders', 'discard'),
      edge('orders', 'preview'),
      edge('orders', 'exactly'),
      edge('orders', 'at_least'),
    ],
  ),
  'sink-postgres': pipeline(
    'Into PostgreSQL',
    [
      kafkaSource('orders', 'orders'),
      node('table', 'sink.postgres', {
        host: 'db',
        database: 'shop',
        user: 'sluice',
        passwordSecret: 'POSTGRES_PASSWORD',
        table: 'orders',
      }),
    ],
    [edge('orders', 'table')],
  ),
  predict: step('Scored', 'transform.predict', { model: 'models/fraud.json' }),
  over: step('Over the last rows', 'window.over', {
    partitionBy: ['customer'],
    frame: { type: 'rows', preceding: 9 },
    aggregates: [{ name: 'avg_amount', fn: 'avg', expr: 'amount' }],
  }),
  rabbitmq: pipeline(
    'Through RabbitMQ',
    [
      node('queue', 'source.rabbitmq', {
        host: 'mq',
        user: 'sluice',
        queue: 'orders',
        format: 'json',
        schema: [{ name: 'order_id', type: 'long' }],
      }),
      node('exchange', 'sink.rabbitmq', {
        host: 'mq',
        user: 'sluice',
        routingKey: 'out',
        format: 'json',
      }),
    ],
    [edge('queue', 'exchange')],
  ),
};
