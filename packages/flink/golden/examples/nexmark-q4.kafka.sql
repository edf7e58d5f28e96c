-- Nexmark q4: average price for a category: compiles
-- warning: 'Nexmark' (nexmark_auction): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Bids while the auction is open' (bids_while_open): On Flink kept records expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.
-- warning: 'Closing price per auction' (closing_price): On Flink idle keys expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.
-- warning: 'Average per category' (average): On Flink a row replaces the one before it with the same (id, category), the key of its input; the same as Sluice's (id) when those fields determine the others.
-- warning: 'Average per category' (average): On Flink idle keys expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.
-- warning: 'Discard' (sink): On Flink this topic is an upsert topic: each message's key is the update key (category) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.
-- warning: 'Discard' (sink): On Flink a row whose update key (category) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).

SET 'pipeline.name' = 'Nexmark q4: average price for a category';

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

CREATE TEMPORARY VIEW `auction_times` AS
SELECT `id` AS `id`, `category` AS `category`, `dateTime` AS `dateTime`, `expires` AS `expires`, `dateTime` AS `__sluice_time`
FROM `nexmark_auction`;

CREATE TEMPORARY VIEW `bid_prices` AS
SELECT `auction` AS `auction`, `price` AS `price`, `dateTime` AS `dateTime`, `dateTime` AS `__sluice_time`
FROM `nexmark_bid`;

CREATE TEMPORARY VIEW `bids_while_open` AS
SELECT /*+ STATE_TTL('L' = '3600 s', 'R' = '1 ms') */ L.`id` AS `id`,
  L.`category` AS `category`,
  L.`dateTime` AS `dateTime`,
  L.`expires` AS `expires`,
  R.`auction` AS `auction`,
  R.`price` AS `price`,
  R.`dateTime` AS `bid_dateTime`
FROM `auction_times` AS L
JOIN `bid_prices` AS R
ON L.`id` = R.`auction`
  AND (R.`dateTime` BETWEEN L.`dateTime` AND L.`expires`);

CREATE TEMPORARY VIEW `closing_price` AS
SELECT /*+ STATE_TTL('i' = '3600 s') */ `id`,
  `category`,
  MAX(`price`) AS `final`
FROM `bids_while_open` AS i
GROUP BY `id`, `category`;

CREATE TEMPORARY VIEW `average` AS
SELECT /*+ STATE_TTL('i' = '3600 s') */ `category`,
  AVG(CAST(`final` AS DOUBLE)) AS `avg_final`
FROM `closing_price` AS i
GROUP BY `category`;

CREATE TEMPORARY TABLE `sink` (
  `category` BIGINT,
  `avg_final` DOUBLE,
  PRIMARY KEY (`category`) NOT ENFORCED
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
SELECT `category`, `avg_final` FROM `average`;
