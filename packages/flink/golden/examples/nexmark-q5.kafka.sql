-- Nexmark q5: hot items: compiles
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Nexmark q5: hot items';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

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

CREATE TEMPORARY VIEW `bids_per_auction` AS
SELECT `auction`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `num`,
  window_time AS `__sluice_time`
FROM TABLE(HOP(TABLE `nexmark_bid`, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY `auction`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `max_per_window__input` AS
SELECT `auction`, `window_start` AS `__sluice_in_window_start`, `window_end` AS `__sluice_in_window_end`, `num`, `__sluice_time`
FROM `bids_per_auction`;

CREATE TEMPORARY VIEW `max_per_window` AS
SELECT CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  MAX(`num`) AS `maxn`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `max_per_window__input`, DESCRIPTOR(`__sluice_time`), INTERVAL '2' SECOND))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY VIEW `hottest__left_input` AS
SELECT `auction`, `window_start` AS `__sluice_in_window_start`, `window_end` AS `__sluice_in_window_end`, `num`, `__sluice_time`
FROM `bids_per_auction`;

CREATE TEMPORARY VIEW `hottest__right_input` AS
SELECT `window_start` AS `__sluice_in_window_start`, `window_end` AS `__sluice_in_window_end`, `maxn`, `__sluice_time`
FROM `max_per_window`;

CREATE TEMPORARY VIEW `hottest` AS
SELECT CAST(L.window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(L.window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  L.`auction` AS `auction`,
  L.`num` AS `num`,
  R.`__sluice_in_window_start` AS `right_window_start`,
  R.`__sluice_in_window_end` AS `right_window_end`,
  R.`maxn` AS `maxn`,
  L.window_time AS `__sluice_time`
FROM (SELECT * FROM TABLE(TUMBLE(TABLE `hottest__left_input`, DESCRIPTOR(`__sluice_time`), INTERVAL '2' SECOND))) L
JOIN (SELECT * FROM TABLE(TUMBLE(TABLE `hottest__right_input`, DESCRIPTOR(`__sluice_time`), INTERVAL '2' SECOND))) R
ON L.`num` = R.`maxn`
  AND L.window_start = R.window_start
  AND L.window_end = R.window_end;

CREATE TEMPORARY VIEW `project` AS
SELECT `auction` AS `auction`, `num` AS `num`, `__sluice_time` AS `__sluice_time`
FROM `hottest`;

CREATE TEMPORARY TABLE `sink` (
  `auction` BIGINT,
  `num` BIGINT
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
SELECT `auction`, `num` FROM `project`;
