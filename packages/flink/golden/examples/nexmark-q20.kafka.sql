-- Nexmark q20: expand bid with auction: compiles
-- warning: 'Nexmark' (nexmark_auction): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Bid with its auction' (with_auction): On Flink kept records expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.

SET 'pipeline.name' = 'Nexmark q20: expand bid with auction';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

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

CREATE TEMPORARY VIEW `category10` AS
SELECT `id`, `itemName`, `description`, `initialBid`, `reserve`, `dateTime`, `expires`, `seller`, `category`, `extra`
FROM `nexmark_auction`
WHERE (`category` = 10);

CREATE TEMPORARY VIEW `with_auction` AS
SELECT /*+ STATE_TTL('L' = '1 s', 'R' = '3600 s') */ L.`auction` AS `auction`,
  L.`bidder` AS `bidder`,
  L.`price` AS `price`,
  L.`channel` AS `channel`,
  L.`url` AS `url`,
  L.`dateTime` AS `dateTime`,
  L.`extra` AS `extra`,
  R.`id` AS `id`,
  R.`itemName` AS `itemName`,
  R.`description` AS `description`,
  R.`initialBid` AS `initialBid`,
  R.`reserve` AS `reserve`,
  R.`dateTime` AS `auction_dateTime`,
  R.`expires` AS `expires`,
  R.`seller` AS `seller`,
  R.`category` AS `category`,
  R.`extra` AS `auction_extra`
FROM `nexmark_bid` AS L
JOIN `category10` AS R
ON L.`auction` = R.`id`;

CREATE TEMPORARY TABLE `sink` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` BIGINT,
  `channel` STRING,
  `url` STRING,
  `dateTime` TIMESTAMP_LTZ(3),
  `extra` STRING,
  `id` BIGINT,
  `itemName` STRING,
  `description` STRING,
  `initialBid` BIGINT,
  `reserve` BIGINT,
  `auction_dateTime` TIMESTAMP_LTZ(3),
  `expires` TIMESTAMP_LTZ(3),
  `seller` BIGINT,
  `category` BIGINT,
  `auction_extra` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'sink.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO `sink`
SELECT `auction`, `bidder`, `price`, `channel`, `url`, `dateTime`, `extra`, `id`, `itemName`, `description`, `initialBid`, `reserve`, `auction_dateTime`, `expires`, `seller`, `category`, `auction_extra` FROM `with_auction`;
