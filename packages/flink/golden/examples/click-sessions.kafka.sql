-- Click sessions per user: compiles
-- warning: 'Page views' (clicks): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'Sessions' (sessions): On Flink, first (aggregate 'first_page') is the first value in arrival order that is not NULL (Sluice: by event time).
-- warning: 'Sessions' (sessions): On Flink, last (aggregate 'last_page') is the last value in arrival order that is not NULL (Sluice: by event time).

SET 'pipeline.name' = 'Click sessions per user';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `clicks` (
  `user_id` BIGINT,
  `page` STRING,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '1.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'clicks.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-equivalence-clicks',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY VIEW `sessions` AS
SELECT `user_id`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `views`,
  COUNT(DISTINCT `page`) AS `pages`,
  COUNT(*) FILTER (WHERE (`page` = '/checkout')) AS `checkouts`,
  FIRST_VALUE(`page`) AS `first_page`,
  LAST_VALUE(`page`) AS `last_page`,
  window_time AS `__sluice_time`
FROM TABLE(SESSION(TABLE `clicks` PARTITION BY `user_id`, DESCRIPTOR(`ts`), INTERVAL '30' SECOND))
GROUP BY `user_id`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `outcome` AS
SELECT `user_id`, `window_start`, `window_end`, `views`, `pages`, `checkouts`, `first_page`, `last_page`, CASE WHEN (`checkouts` > 0) THEN 'bought' ELSE 'browsed' END AS `outcome`, `__sluice_time` AS `__sluice_time`
FROM `sessions`;

CREATE TEMPORARY TABLE `print` (
  `user_id` BIGINT,
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `views` BIGINT,
  `pages` BIGINT,
  `checkouts` BIGINT,
  `first_page` STRING,
  `last_page` STRING,
  `outcome` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'print.out',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'at-least-once'
);

INSERT INTO `print`
SELECT `user_id`, `window_start`, `window_end`, `views`, `pages`, `checkouts`, `first_page`, `last_page`, `outcome` FROM `outcome`;
