-- Left window join: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'payments': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Left window join';

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

CREATE TEMPORARY TABLE `payments` (
  `order_id` BIGINT,
  `method` STRING,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '5.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'payments',
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
SELECT CAST(L.window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(L.window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  L.`order_id` AS `order_id`,
  L.`customer` AS `customer`,
  L.`category` AS `category`,
  L.`amount` AS `amount`,
  CAST(L.`ts` AS TIMESTAMP_LTZ(3)) AS `ts`,
  R.`method` AS `method`,
  CAST(R.`ts` AS TIMESTAMP_LTZ(3)) AS `right_ts`,
  L.window_time AS `__sluice_time`
FROM (SELECT * FROM TABLE(TUMBLE(TABLE `orders`, DESCRIPTOR(`ts`), INTERVAL '10' SECOND))) L
LEFT JOIN (SELECT * FROM TABLE(TUMBLE(TABLE `payments`, DESCRIPTOR(`ts`), INTERVAL '10' SECOND))) R
ON L.`order_id` = R.`order_id`
  AND L.window_start = R.window_start
  AND L.window_end = R.window_end
  AND ((R.`method` <> 'cash') AND (CAST(R.`ts` AS TIMESTAMP_LTZ(3)) >= CAST(L.`ts` AS TIMESTAMP_LTZ(3))));

CREATE TEMPORARY TABLE `out` (
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  `method` STRING,
  `right_ts` TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Left_window_join-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `window_start`, `window_end`, `order_id`, `customer`, `category`, `amount`, `ts`, `method`, `right_ts` FROM `step`;
