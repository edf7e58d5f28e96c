-- Orders paid within a minute: compiles
-- warning: 'Orders' (orders): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Payments' (payments): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Orders paid within a minute';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `amount` DOUBLE,
  `ordered_at` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ordered_at` AS `ordered_at` - INTERVAL '0.001' SECOND(1, 3)
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

CREATE TEMPORARY TABLE `payments` (
  `order_id` BIGINT,
  `method` STRING,
  `paid_at` TIMESTAMP_LTZ(3),
  WATERMARK FOR `paid_at` AS `paid_at` - INTERVAL '45.001' SECOND(2, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'payments.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-equivalence-payments',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY VIEW `paid` AS
SELECT L.`order_id` AS `order_id`,
  L.`amount` AS `amount`,
  CAST(L.`ordered_at` AS TIMESTAMP_LTZ(3)) AS `ordered_at`,
  R.`method` AS `method`,
  CAST(R.`paid_at` AS TIMESTAMP_LTZ(3)) AS `paid_at`
FROM `orders` AS L, `payments` AS R
WHERE L.`order_id` = R.`order_id`
  AND R.`paid_at` BETWEEN L.`ordered_at` AND L.`ordered_at` + INTERVAL '1' MINUTE;

CREATE TEMPORARY VIEW `delay` AS
SELECT `order_id` AS `order_id`, ROUND(`amount`, 2) AS `amount`, UPPER(`method`) AS `method`, `paid_at` AS `paid_at`, (`method` = 'card') AS `by_card`
FROM `paid`;

CREATE TEMPORARY TABLE `results` (
  `order_id` BIGINT,
  `amount` DOUBLE,
  `method` STRING,
  `paid_at` TIMESTAMP_LTZ(3),
  `by_card` BOOLEAN
) WITH (
  'connector' = 'kafka',
  'topic' = 'results.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO `results`
SELECT `order_id`, `amount`, `method`, `paid_at`, `by_card` FROM `delay`;
