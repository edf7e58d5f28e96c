-- An update stream into a file: refused
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'step': On Flink, records equal in every ordering value rank in no set order (Sluice: the earlier one first); give the ranking a last term that tells them apart.
-- error: 'out': Its input is an update stream (from 'step'): Flink's file sink writes only rows that are never taken back. Write it to Kafka instead.

SET 'pipeline.name' = 'An update stream into a file';

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

CREATE TEMPORARY VIEW `step` AS
SELECT `order_id`, `customer`, `category`, `amount`, `ts`, `rank`
FROM (
  SELECT *, ROW_NUMBER() OVER (ORDER BY `__sluice_order_0` DESC NULLS LAST) AS `rank`
  FROM (SELECT `order_id`, `customer`, `category`, `amount`, `ts`, `amount` AS `__sluice_order_0` FROM `orders`)
)
WHERE `rank` <= 1;
