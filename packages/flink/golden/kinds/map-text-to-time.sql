-- Text and numbers to timestamps: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'step': CAST(text AS TIMESTAMP) on Flink reads 'yyyy-MM-dd HH:mm:ss[.SSS]' only (Sluice also reads ISO-8601 with T and Z)

SET 'pipeline.name' = 'Text and numbers to timestamps';

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
SELECT TO_TIMESTAMP_LTZ(`order_id`, 3) AS `at`, CAST('2024-05-01 10:00:00' AS TIMESTAMP_LTZ(3)) AS `read`, `ts` AS `__sluice_time`
FROM `orders`;

CREATE TEMPORARY TABLE `out` (
  `at` TIMESTAMP_LTZ(3),
  `read` TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Text_and_numbers_to_timestamps-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `at`, `read` FROM `step`;
