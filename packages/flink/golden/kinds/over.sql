-- Over the last rows: refused
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- error: 'step': The kind window.over has no Flink SQL mapping.

SET 'pipeline.name' = 'Over the last rows';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '5.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-cases',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);
