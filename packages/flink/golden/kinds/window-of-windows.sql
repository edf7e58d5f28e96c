-- A window of windows: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'A window of windows';

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

CREATE TEMPORARY VIEW `per_category` AS
SELECT `category`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `num`,
  window_time AS `__sluice_time`
FROM TABLE(HOP(TABLE `orders`, DESCRIPTOR(`ts`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY `category`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `busiest__input` AS
SELECT `category`, `window_start` AS `__sluice_in_window_start`, `window_end` AS `__sluice_in_window_end`, `num`, `__sluice_time`
FROM `per_category`;

CREATE TEMPORARY VIEW `busiest` AS
SELECT CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  MAX(`num`) AS `most`,
  MIN(`__sluice_in_window_start`) AS `first_start`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `busiest__input`, DESCRIPTOR(`__sluice_time`), INTERVAL '2' SECOND))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY TABLE `out` (
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `most` BIGINT,
  `first_start` TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-A_window_of_windows-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `window_start`, `window_end`, `most`, `first_start` FROM `busiest`;
