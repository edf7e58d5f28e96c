-- Click sessions per user: refused
-- warning: 'Page views' (clicks): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- error: 'Sessions' (sessions): Flink's session windows merge their aggregates, and its FIRST_VALUE and LAST_VALUE cannot be merged: aggregate 'first_page' (first) does not run there.

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
