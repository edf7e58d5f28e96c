-- Expressions: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'step': TO_TIMESTAMP on Flink gives NULL for text that does not fit the format (Sluice fails the record), and reads the format exactly (Sluice also takes a fraction, T or a date alone)

SET 'pipeline.name' = 'Expressions';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '5.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-cases',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.fail-on-missing-field' = 'false',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY VIEW `step` AS
SELECT `order_id`, `customer`, `category`, `amount`, `ts`, (((`amount` * 0.8E0) - 1.5E0) + MOD(`order_id`, 7)) AS `net`, ((UPPER(TRIM(LEADING 'x' FROM `category`)) || '-') || CAST(`order_id` AS STRING)) AS `label`, POSITION('a' IN `customer`) AS `at`, CASE WHEN (`amount` BETWEEN 0 AND 10) THEN 'small' WHEN (`amount` IS NULL) THEN 'none' ELSE 'big' END AS `size`, YEAR(CAST(`ts` AS TIMESTAMP(3))) AS `year`, DATE_FORMAT(CAST(`ts` AS TIMESTAMP(3)), 'yyyy-MM-dd') AS `day`, (`ts` >= TO_TIMESTAMP_LTZ(1714521600000, 3)) AS `recent`, CAST(TO_TIMESTAMP('2024-05-01 10:00:00') AS TIMESTAMP_LTZ(3)) AS `parsed`, FLOOR(`amount`) AS `whole`, TRY_CAST(`customer` AS BIGINT) AS `safe`, IF((`amount` > 100), 'yes', 'no') AS `if_big`
FROM `orders`;

CREATE TEMPORARY TABLE `out` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  `net` DOUBLE,
  `label` STRING,
  `at` BIGINT,
  `size` STRING,
  `year` BIGINT,
  `day` STRING,
  `recent` BOOLEAN,
  `parsed` TIMESTAMP_LTZ(3),
  `whole` DOUBLE,
  `safe` BIGINT,
  `if_big` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Expressions-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `order_id`, `customer`, `category`, `amount`, `ts`, `net`, `label`, `at`, `size`, `year`, `day`, `recent`, `parsed`, `whole`, `safe`, `if_big` FROM `step`;
