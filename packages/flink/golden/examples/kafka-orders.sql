-- Kafka orders per category every minute: compiles
-- warning: 'Orders' (orders): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Orders' (orders): On Flink a message that cannot be read fails the job: Flink SQL has no dead-letter topic, so 'orders.dlq' is not written.

SET 'pipeline.name' = 'Kafka orders per category every minute';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  `customer` STRING,
  WATERMARK FOR `ts` AS `ts` - INTERVAL '5.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-orders-per-category',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'key.format' = 'raw',
  'key.fields' = 'customer',
  'value.fields-include' = 'EXCEPT_KEY',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.idle-timeout' = '30 s',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY VIEW `big_orders` AS
SELECT `order_id`, `category`, `amount`, `ts`, `customer`
FROM `orders`
WHERE (`amount` >= 20);

CREATE TEMPORARY VIEW `per_category` AS
SELECT `category`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `orders`,
  SUM(`amount`) AS `revenue`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `big_orders`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY `category`, window_start, window_end, window_time;

CREATE TEMPORARY TABLE `totals` (
  `category` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `orders` BIGINT,
  `revenue` DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'order-totals',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.compression.type' = 'lz4',
  'key.format' = 'raw',
  'key.fields' = 'category',
  'value.fields-include' = 'ALL',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Kafka_orders_per_category_every_minute-totals',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `totals`
SELECT `category`, `window_start`, `window_end`, `orders`, `revenue` FROM `per_category`;
