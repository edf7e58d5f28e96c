-- Tumbling: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Tumbling';

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
SELECT `category`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `orders`,
  COUNT(DISTINCT `customer`) AS `customers`,
  SUM(`amount`) AS `revenue`,
  AVG(CAST(`order_id` AS DOUBLE)) AS `average`,
  MIN(`amount`) AS `smallest`,
  MAX(`ts`) AS `latest`,
  COUNT(*) FILTER (WHERE (`amount` >= 100)) AS `big`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `orders`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY `category`, window_start, window_end, window_time;

CREATE TEMPORARY TABLE `out` (
  `category` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `orders` BIGINT,
  `customers` BIGINT,
  `revenue` DOUBLE,
  `average` DOUBLE,
  `smallest` DOUBLE,
  `latest` TIMESTAMP_LTZ(3),
  `big` BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Tumbling-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `category`, `window_start`, `window_end`, `orders`, `customers`, `revenue`, `average`, `smallest`, `latest`, `big` FROM `step`;
