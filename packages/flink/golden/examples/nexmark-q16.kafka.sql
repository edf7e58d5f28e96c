-- Nexmark q16: channel statistics report: compiles
-- warning: 'Nexmark' (nexmark_bid): On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.

SET 'pipeline.name' = 'Nexmark q16: channel statistics report';

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
SELECT `channel`,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  MAX(DATE_FORMAT(CAST(`dateTime` AS TIMESTAMP(3)), 'HH:mm')) AS `minute`,
  COUNT(*) AS `total_bids`,
  COUNT(*) FILTER (WHERE (`price` < 10000)) AS `rank1_bids`,
  COUNT(*) FILTER (WHERE ((`price` >= 10000) AND (`price` < 1000000))) AS `rank2_bids`,
  COUNT(*) FILTER (WHERE (`price` >= 1000000)) AS `rank3_bids`,
  COUNT(DISTINCT `bidder`) AS `total_bidders`,
  COUNT(DISTINCT `bidder`) FILTER (WHERE (`price` < 10000)) AS `rank1_bidders`,
  COUNT(DISTINCT `bidder`) FILTER (WHERE ((`price` >= 10000) AND (`price` < 1000000))) AS `rank2_bidders`,
  COUNT(DISTINCT `bidder`) FILTER (WHERE (`price` >= 1000000)) AS `rank3_bidders`,
  COUNT(DISTINCT `auction`) AS `total_auctions`,
  COUNT(DISTINCT `auction`) FILTER (WHERE (`price` < 10000)) AS `rank1_auctions`,
  COUNT(DISTINCT `auction`) FILTER (WHERE ((`price` >= 10000) AND (`price` < 1000000))) AS `rank2_auctions`,
  COUNT(DISTINCT `auction`) FILTER (WHERE (`price` >= 1000000)) AS `rank3_auctions`,
  window_time AS `__sluice_time`
FROM TABLE(TUMBLE(TABLE `nexmark_bid`, DESCRIPTOR(`dateTime`), INTERVAL '1' DAY))
GROUP BY `channel`, window_start, window_end, window_time;

CREATE TEMPORARY VIEW `report` AS
SELECT `channel` AS `channel`, DATE_FORMAT(CAST(`window_start` AS TIMESTAMP(3)), 'yyyy-MM-dd') AS `day`, `minute` AS `minute`, `total_bids` AS `total_bids`, `rank1_bids` AS `rank1_bids`, `rank2_bids` AS `rank2_bids`, `rank3_bids` AS `rank3_bids`, `total_bidders` AS `total_bidders`, `rank1_bidders` AS `rank1_bidders`, `rank2_bidders` AS `rank2_bidders`, `rank3_bidders` AS `rank3_bidders`, `total_auctions` AS `total_auctions`, `rank1_auctions` AS `rank1_auctions`, `rank2_auctions` AS `rank2_auctions`, `rank3_auctions` AS `rank3_auctions`, `__sluice_time` AS `__sluice_time`
FROM `daily`;

CREATE TEMPORARY TABLE `sink` (
  `channel` STRING,
  `day` STRING,
  `minute` STRING,
  `total_bids` BIGINT,
  `rank1_bids` BIGINT,
  `rank2_bids` BIGINT,
  `rank3_bids` BIGINT,
  `total_bidders` BIGINT,
  `rank1_bidders` BIGINT,
  `rank2_bidders` BIGINT,
  `rank3_bidders` BIGINT,
  `total_auctions` BIGINT,
  `rank1_auctions` BIGINT,
  `rank2_auctions` BIGINT,
  `rank3_auctions` BIGINT
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
SELECT `channel`, `day`, `minute`, `total_bids`, `rank1_bids`, `rank2_bids`, `rank3_bids`, `total_bidders`, `rank1_bidders`, `rank2_bidders`, `rank3_bidders`, `total_auctions`, `rank1_auctions`, `rank2_auctions`, `rank3_auctions` FROM `report`;
