-- No event time, no checkpoints: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'No event time, no checkpoints';

SET 'table.local-time-zone' = 'UTC';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-cases',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'latest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false'
);

CREATE TEMPORARY TABLE `out` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'raw',
  'key.fields' = 'customer',
  'value.fields-include' = 'ALL',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO `out`
SELECT `order_id`, `customer`, `category`, `amount`, `ts` FROM `orders`;
