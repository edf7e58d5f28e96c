-- Top 3 per category: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'step': On Flink every key's ranking is kept: Flink's Top-N takes no state time-to-live of its own, so the retention (1d) is not used.
-- warning: 'step': On Flink, records equal in every ordering value rank in no set order (Sluice: the earlier one first); give the ranking a last term that tells them apart.
-- warning: 'out': On Flink this topic is an upsert topic: each message's key is the update key (category, place) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.
-- warning: 'out': On Flink a row whose update key (category, place) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).

SET 'pipeline.name' = 'Top 3 per category';

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
SELECT `order_id`, `customer`, `category`, `amount`, `ts`, `place`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `category` ORDER BY `__sluice_order_0` DESC NULLS LAST, `__sluice_order_1` ASC NULLS LAST) AS `place`
  FROM (SELECT `order_id`, `customer`, `category`, `amount`, `ts`, (`amount` * 2) AS `__sluice_order_0`, `ts` AS `__sluice_order_1` FROM `orders`)
)
WHERE `place` <= 3;

CREATE TEMPORARY TABLE `out` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  `place` BIGINT,
  PRIMARY KEY (`category`, `place`) NOT ENFORCED
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
SELECT `order_id`, `customer`, `category`, `amount`, `ts`, `place` FROM `step`;
