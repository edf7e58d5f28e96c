-- Nexmark q9: winning bids: compiles
-- warning: 'Nexmark' (nexmark_auction): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Bids while the auction is open' (bids_while_open): On Flink kept records expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.
-- warning: 'Highest bid per auction' (winner): On Flink every key's ranking is kept: Flink's Top-N takes no state time-to-live of its own, so the retention (1h) is not used.
-- warning: 'Highest bid per auction' (winner): On Flink, records equal in every ordering value rank in no set order (Sluice: the earlier one first); give the ranking a last term that tells them apart.
-- warning: 'Discard' (sink): On Flink this topic is an upsert topic: each message's key is the update key (id, rank_number) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.
-- warning: 'Discard' (sink): On Flink a row whose update key (id, rank_number) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).

SET 'pipeline.name' = 'Nexmark q9: winning bids';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

SET 'table.exec.sink.not-null-enforcer' = 'DROP';

CREATE TEMPORARY TABLE `nexmark_auction` (
  `id` BIGINT,
  `itemName` STRING,
  `description` STRING,
  `initialBid` BIGINT,
  `reserve` BIGINT,
  `dateTime` TIMESTAMP_LTZ(3),
  `expires` TIMESTAMP_LTZ(3),
  `seller` BIGINT,
  `category` BIGINT,
  `extra` STRING,
  WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '0.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'nexmark.auction',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-equivalence-nexmark_auction',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

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

CREATE TEMPORARY VIEW `bids_while_open` AS
SELECT /*+ STATE_TTL('L' = '3600 s', 'R' = '1 ms') */ L.`id` AS `id`,
  L.`itemName` AS `itemName`,
  L.`description` AS `description`,
  L.`initialBid` AS `initialBid`,
  L.`reserve` AS `reserve`,
  L.`dateTime` AS `dateTime`,
  L.`expires` AS `expires`,
  L.`seller` AS `seller`,
  L.`category` AS `category`,
  L.`extra` AS `extra`,
  R.`auction` AS `auction`,
  R.`bidder` AS `bidder`,
  R.`price` AS `price`,
  R.`channel` AS `channel`,
  R.`url` AS `url`,
  R.`dateTime` AS `bid_dateTime`,
  R.`extra` AS `bid_extra`
FROM `nexmark_auction` AS L
JOIN `nexmark_bid` AS R
ON L.`id` = R.`auction`
  AND (R.`dateTime` BETWEEN L.`dateTime` AND L.`expires`);

CREATE TEMPORARY VIEW `winner` AS
SELECT `id`, `itemName`, `description`, `initialBid`, `reserve`, `dateTime`, `expires`, `seller`, `category`, `extra`, `auction`, `bidder`, `price`, `channel`, `url`, `bid_dateTime`, `bid_extra`, `rank_number`
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `__sluice_order_0` DESC NULLS LAST, `__sluice_order_1` ASC NULLS LAST) AS `rank_number`
  FROM (SELECT `id`, `itemName`, `description`, `initialBid`, `reserve`, `dateTime`, `expires`, `seller`, `category`, `extra`, `auction`, `bidder`, `price`, `channel`, `url`, `bid_dateTime`, `bid_extra`, `price` AS `__sluice_order_0`, `bid_dateTime` AS `__sluice_order_1` FROM `bids_while_open`)
)
WHERE `rank_number` <= 1;

CREATE TEMPORARY TABLE `sink` (
  `id` BIGINT,
  `itemName` STRING,
  `description` STRING,
  `initialBid` BIGINT,
  `reserve` BIGINT,
  `dateTime` TIMESTAMP_LTZ(3),
  `expires` TIMESTAMP_LTZ(3),
  `seller` BIGINT,
  `category` BIGINT,
  `extra` STRING,
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` BIGINT,
  `channel` STRING,
  `url` STRING,
  `bid_dateTime` TIMESTAMP_LTZ(3),
  `bid_extra` STRING,
  `rank_number` BIGINT,
  PRIMARY KEY (`id`, `rank_number`) NOT ENFORCED
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
SELECT `id`, `itemName`, `description`, `initialBid`, `reserve`, `dateTime`, `expires`, `seller`, `category`, `extra`, `auction`, `bidder`, `price`, `channel`, `url`, `bid_dateTime`, `bid_extra`, `rank_number` FROM `winner`;
