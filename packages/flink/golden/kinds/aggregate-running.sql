-- Running aggregate: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'step': On Flink idle keys expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.
-- warning: 'out': On Flink this topic is an upsert topic: each message's key is the update key (customer) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.
-- warning: 'out': On Flink a row whose update key (customer) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).

SET 'pipeline.name' = 'Running aggregate';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

SET 'table.exec.sink.not-null-enforcer' = 'DROP';

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
SELECT /*+ STATE_TTL('i' = '3600 s') */ `customer`,
  COUNT(*) AS `orders`,
  SUM(`amount`) AS `spent`
FROM `orders` AS i
GROUP BY `customer`;

CREATE TEMPORARY TABLE `out` (
  `customer` STRING,
  `orders` BIGINT,
  `spent` DOUBLE,
  PRIMARY KEY (`customer`) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'key.json.timestamp-format.standard' = 'ISO-8601',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.fields-include' = 'ALL'
);

INSERT INTO `out`
SELECT `customer`, `orders`, `spent` FROM `step`;
