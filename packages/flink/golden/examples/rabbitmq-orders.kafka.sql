-- Orders from RabbitMQ: compiles
-- warning: 'Queue 'orders'' (orders): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Orders from RabbitMQ';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '2.001' SECOND(1, 3)
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

CREATE TEMPORARY VIEW `per_category` AS
SELECT `category`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `orders`,
  SUM(`amount`) AS `revenue`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `orders`, DESCRIPTOR(`ts`), INTERVAL '10' SECOND))
GROUP BY `category`, window_start, window_end, window_time;

CREATE TEMPORARY TABLE `totals` (
  `category` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `orders` BIGINT,
  `revenue` DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'totals.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

CREATE TEMPORARY TABLE `print` (
  `category` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `orders` BIGINT,
  `revenue` DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'print.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `totals`
SELECT `category`, `window_start`, `window_end`, `orders`, `revenue` FROM `per_category`;

INSERT INTO `print`
SELECT `category`, `window_start`, `window_end`, `orders`, `revenue` FROM `per_category`;
END;
