-- Nexmark q17: auction statistics report: compiles
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Nexmark q17: auction statistics report';

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

CREATE TEMPORARY VIEW `daily` AS
SELECT `auction`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  COUNT(*) AS `total_bids`,
  COUNT(*) FILTER (WHERE (`price` < 10000)) AS `rank1_bids`,
  COUNT(*) FILTER (WHERE ((`price` >= 10000) AND (`price` < 1000000))) AS `rank2_bids`,
  COUNT(*) FILTER (WHERE (`price` >= 1000000)) AS `rank3_bids`,
  MIN(`price`) AS `min_price`,
  MAX(`price`) AS `max_price`,
  AVG(CAST(`price` AS DOUBLE)) AS `avg_price`,
  SUM(`price`) AS `sum_price`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `nexmark_bid`, DESCRIPTOR(`dateTime`), INTERVAL '1' DAY))
GROUP BY `auction`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `report` AS
SELECT `auction` AS `auction`, DATE_FORMAT(CAST(`window_start` AS TIMESTAMP(3)), 'yyyy-MM-dd') AS `day`, `total_bids` AS `total_bids`, `rank1_bids` AS `rank1_bids`, `rank2_bids` AS `rank2_bids`, `rank3_bids` AS `rank3_bids`, `min_price` AS `min_price`, `max_price` AS `max_price`, `avg_price` AS `avg_price`, `sum_price` AS `sum_price`, `__sluice_time` AS `__sluice_time`
FROM `daily`;

CREATE TEMPORARY TABLE `sink` (
  `auction` BIGINT,
  `day` STRING,
  `total_bids` BIGINT,
  `rank1_bids` BIGINT,
  `rank2_bids` BIGINT,
  `rank3_bids` BIGINT,
  `min_price` BIGINT,
  `max_price` BIGINT,
  `avg_price` DOUBLE,
  `sum_price` BIGINT
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
SELECT `auction`, `day`, `total_bids`, `rank1_bids`, `rank2_bids`, `rank3_bids`, `min_price`, `max_price`, `avg_price`, `sum_price` FROM `report`;
