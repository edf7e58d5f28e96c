-- Revenue per country per minute: compiles
-- warning: 'Orders' (orders): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Late orders' (late): Not run on Flink: its input 'per_minute' has no such output there (Flink SQL drops late records).

SET 'pipeline.name' = 'Revenue per country per minute';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` STRING,
  `amount` DOUBLE,
  `country` STRING,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '5.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-equivalence-orders',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY VIEW `big` AS
SELECT `order_id`, `amount`, `country`, `ts`
FROM `orders`
WHERE ((`amount` > 100) AND (`country` <> 'XX'));

CREATE TEMPORARY VIEW `per_minute` AS
SELECT `country`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `orders`,
  SUM(`amount`) AS `revenue`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `big`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY `country`, window_start, window_end, window_time;

CREATE TEMPORARY TABLE `out` (
  `country` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `orders` BIGINT,
  `revenue` DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'out.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO `out`
SELECT `country`, `window_start`, `window_end`, `orders`, `revenue` FROM `per_minute`;
