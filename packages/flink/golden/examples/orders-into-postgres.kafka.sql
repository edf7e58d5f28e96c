-- Orders per category, kept in PostgreSQL: compiles
-- warning: 'Orders' (orders): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'category_totals' (category_totals): On Flink this topic is an upsert topic: each message's key is the update key (category) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.
-- warning: 'category_totals' (category_totals): On Flink a row whose update key (category) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).

SET 'pipeline.name' = 'Orders per category, kept in PostgreSQL';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

SET 'table.exec.sink.not-null-enforcer' = 'DROP';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '1.001' SECOND(1, 3)
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

CREATE TEMPORARY VIEW `totals` AS
SELECT `category`,
  COUNT(*) AS `orders`,
  SUM(`amount`) AS `revenue`,
  MAX(`amount`) AS `biggest`
FROM `orders` AS i
GROUP BY `category`;

CREATE TEMPORARY VIEW `per_minute` AS
SELECT `category`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `orders`,
  SUM(`amount`) AS `revenue`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `orders`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))
GROUP BY `category`, window_start, window_end, window_time;

CREATE TEMPORARY TABLE `category_totals` (
  `category` STRING,
  `orders` BIGINT,
  `revenue` DOUBLE,
  `biggest` DOUBLE,
  PRIMARY KEY (`category`) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'category_totals.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'key.json.timestamp-format.standard' = 'ISO-8601',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.fields-include' = 'ALL'
);

CREATE TEMPORARY TABLE `orders_per_minute` (
  `category` STRING,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `orders` BIGINT,
  `revenue` DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders_per_minute.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `category_totals`
SELECT `category`, `orders`, `revenue`, `biggest` FROM `totals`;

INSERT INTO `orders_per_minute`
SELECT `category`, `window_start`, `window_end`, `orders`, `revenue` FROM `per_minute`;
END;
