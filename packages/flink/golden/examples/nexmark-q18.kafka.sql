-- Nexmark q18: find last bid: compiles
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Last bid per bidder and auction' (last_bid): On Flink every key's ranking is kept: Flink's Top-N takes no state time-to-live of its own, so the retention (1h) is not used.
-- warning: 'Last bid per bidder and auction' (last_bid): On Flink, records equal in every ordering value rank in no set order (Sluice: the earlier one first); give the ranking a last term that tells them apart.
-- warning: 'Discard' (sink): On Flink this topic is an upsert topic: each message's key is the update key (bidder, auction, rank_number) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.
-- warning: 'Discard' (sink): On Flink a row whose update key (bidder, auction, rank_number) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).

SET 'pipeline.name' = 'Nexmark q18: find last bid';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

SET 'table.exec.sink.not-null-enforcer' = 'DROP';

CREATE TEMPORARY TABLE `nexmark_bid` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` BIGINT,
  `channel` STRING,
  `url` STRING,
  `dateTime` TIMESTAMP_LTZ(3),
  `extra` STRING,
  WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '0.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'nexmark.bid',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-equivalence-nexmark_bid',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY VIEW `last_bid` AS
SELECT `auction`, `bidder`, `price`, `channel`, `url`, `dateTime`, `extra`, `rank_number`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `bidder`, `auction` ORDER BY `__sluice_order_0` DESC NULLS LAST) AS `rank_number`
  FROM (SELECT `auction`, `bidder`, `price`, `channel`, `url`, `dateTime`, `extra`, `dateTime` AS `__sluice_order_0` FROM `nexmark_bid`)
)
WHERE `rank_number` <= 1;

CREATE TEMPORARY TABLE `sink` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` BIGINT,
  `channel` STRING,
  `url` STRING,
  `dateTime` TIMESTAMP_LTZ(3),
  `extra` STRING,
  `rank_number` BIGINT,
  PRIMARY KEY (`bidder`, `auction`, `rank_number`) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'sink.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'json',
  'key.json.timestamp-format.standard' = 'ISO-8601',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.fields-include' = 'ALL'
);

INSERT INTO `sink`
SELECT `auction`, `bidder`, `price`, `channel`, `url`, `dateTime`, `extra`, `rank_number` FROM `last_bid`;
