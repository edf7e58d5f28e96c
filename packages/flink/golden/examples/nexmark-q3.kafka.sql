-- Nexmark q3: local item suggestion: compiles
-- warning: 'Nexmark' (nexmark_person): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Nexmark' (nexmark_auction): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Auction with its seller' (with_seller): On Flink kept records expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.

SET 'pipeline.name' = 'Nexmark q3: local item suggestion';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `nexmark_person` (
  `id` BIGINT,
  `name` STRING,
  `emailAddress` STRING,
  `creditCard` STRING,
  `city` STRING,
  `state` STRING,
  `dateTime` TIMESTAMP_LTZ(3),
  `extra` STRING,
  WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '0.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'nexmark.person',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-equivalence-nexmark_person',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

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

CREATE TEMPORARY VIEW `local_sellers` AS
SELECT `id`, `name`, `emailAddress`, `creditCard`, `city`, `state`, `dateTime`, `extra`
FROM `nexmark_person`
WHERE (`state` IN ('OR', 'ID', 'CA'));

CREATE TEMPORARY VIEW `category10` AS
SELECT `id`, `itemName`, `description`, `initialBid`, `reserve`, `dateTime`, `expires`, `seller`, `category`, `extra`
FROM `nexmark_auction`
WHERE (`category` = 10);

CREATE TEMPORARY VIEW `with_seller` AS
SELECT /*+ STATE_TTL('L' = '3600 s', 'R' = '3600 s') */ L.`id` AS `id`,
  L.`itemName` AS `itemName`,
  L.`description` AS `description`,
  L.`initialBid` AS `initialBid`,
  L.`reserve` AS `reserve`,
  L.`dateTime` AS `dateTime`,
  L.`expires` AS `expires`,
  L.`seller` AS `seller`,
  L.`category` AS `category`,
  L.`extra` AS `extra`,
  R.`id` AS `person_id`,
  R.`name` AS `name`,
  R.`emailAddress` AS `emailAddress`,
  R.`creditCard` AS `creditCard`,
  R.`city` AS `city`,
  R.`state` AS `state`,
  R.`dateTime` AS `person_dateTime`,
  R.`extra` AS `person_extra`
FROM `category10` AS L
JOIN `local_sellers` AS R
ON L.`seller` = R.`id`;

CREATE TEMPORARY VIEW `suggestion` AS
SELECT `name` AS `name`, `city` AS `city`, `state` AS `state`, `id` AS `id`
FROM `with_seller`;

CREATE TEMPORARY TABLE `sink` (
  `name` STRING,
  `city` STRING,
  `state` STRING,
  `id` BIGINT
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
SELECT `name`, `city`, `state`, `id` FROM `suggestion`;
