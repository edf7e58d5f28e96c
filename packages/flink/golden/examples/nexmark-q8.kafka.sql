-- Nexmark q8: monitor new users: compiles
-- warning: 'Nexmark' (nexmark_person): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Nexmark' (nexmark_auction): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Nexmark q8: monitor new users';

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

CREATE TEMPORARY VIEW `new_people` AS
SELECT `id`,
  `name`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `registrations`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `nexmark_person`, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY `id`, `name`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `sellers` AS
SELECT `seller`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `auctions`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `nexmark_auction`, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY `seller`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `new_sellers__left_input` AS
SELECT `id`, `name`, `window_start` AS `__sluice_in_window_start`, `window_end` AS `__sluice_in_window_end`, `registrations`, `__sluice_time`
FROM `new_people`;

CREATE TEMPORARY VIEW `new_sellers__right_input` AS
SELECT `seller`, `window_start` AS `__sluice_in_window_start`, `window_end` AS `__sluice_in_window_end`, `auctions`, `__sluice_time`
FROM `sellers`;

CREATE TEMPORARY VIEW `new_sellers` AS
SELECT CAST(L.window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(L.window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  L.`id` AS `id`,
  L.`name` AS `name`,
  L.`registrations` AS `registrations`,
  R.`seller` AS `seller`,
  R.`__sluice_in_window_start` AS `right_window_start`,
  R.`__sluice_in_window_end` AS `right_window_end`,
  R.`auctions` AS `auctions`,
  L.window_time AS `__sluice_time`
FROM (SELECT * FROM TABLE(TUMBLE(TABLE `new_sellers__left_input`, DESCRIPTOR(`__sluice_time`), INTERVAL '10' SECOND))) L
JOIN (SELECT * FROM TABLE(TUMBLE(TABLE `new_sellers__right_input`, DESCRIPTOR(`__sluice_time`), INTERVAL '10' SECOND))) R
ON L.`id` = R.`seller`
  AND L.window_start = R.window_start
  AND L.window_end = R.window_end;

CREATE TEMPORARY VIEW `project` AS
SELECT `id` AS `id`, `name` AS `name`, `window_start` AS `starttime`, `__sluice_time` AS `__sluice_time`
FROM `new_sellers`;

CREATE TEMPORARY TABLE `sink` (
  `id` BIGINT,
  `name` STRING,
  `starttime` TIMESTAMP_LTZ(3)
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
SELECT `id`, `name`, `starttime` FROM `project`;
