-- Nexmark q14: calculation: compiles
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Nexmark q14: calculation';

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

CREATE TEMPORARY VIEW `price_band` AS
SELECT `auction`, `bidder`, `price`, `channel`, `url`, `dateTime`, `extra`
FROM `nexmark_bid`
WHERE (((0.908E0 * `price`) > 1000000) AND ((0.908E0 * `price`) < 50000000));

CREATE TEMPORARY VIEW `calculate` AS
SELECT `auction` AS `auction`, `bidder` AS `bidder`, (0.908E0 * `price`) AS `price`, CASE WHEN ((HOUR(CAST(`dateTime` AS TIMESTAMP(3))) >= 8) AND (HOUR(CAST(`dateTime` AS TIMESTAMP(3))) <= 18)) THEN 'dayTime' WHEN ((HOUR(CAST(`dateTime` AS TIMESTAMP(3))) <= 6) OR (HOUR(CAST(`dateTime` AS TIMESTAMP(3))) >= 20)) THEN 'nightTime' ELSE 'otherTime' END AS `bidTimeType`, `dateTime` AS `dateTime`, `extra` AS `extra`, (CHAR_LENGTH(`extra`) - CHAR_LENGTH(REPLACE(`extra`, 'c', ''))) AS `c_counts`, `dateTime` AS `__sluice_time`
FROM `price_band`;

CREATE TEMPORARY TABLE `sink` (
  `auction` BIGINT,
  `bidder` BIGINT,
  `price` DOUBLE,
  `bidTimeType` STRING,
  `dateTime` TIMESTAMP_LTZ(3),
  `extra` STRING,
  `c_counts` BIGINT
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
SELECT `auction`, `bidder`, `price`, `bidTimeType`, `dateTime`, `extra`, `c_counts` FROM `calculate`;
