-- File to file: compiles
-- warning: 'orders': On Flink the file is read as fast as the job goes: the replay rate is not used.
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'out': On Flink the path is a folder of part files, each finished at a checkpoint (or when the input ends), not one file.
-- warning: 'out': On Flink, CSV timestamps are read and written as 'yyyy-MM-dd HH:mm:ss.SSS' in UTC (Sluice: ISO-8601 or epoch milliseconds).

SET 'pipeline.name' = 'File to file';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '1.001' SECOND(1, 3)
) WITH (
  'connector' = 'filesystem',
  'path' = 'file:///srv/sluice/data/orders.jsonl',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601',
  'json.fail-on-missing-field' = 'false'
);

CREATE TEMPORARY TABLE `out` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'filesystem',
  'path' = 'file:///srv/sluice/data/out/orders.csv',
  'format' = 'csv',
  'csv.field-delimiter' = ','
);

INSERT INTO `out`
SELECT `order_id`, `customer`, `category`, `amount`, `ts` FROM `orders`;
