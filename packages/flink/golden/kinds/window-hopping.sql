-- Hopping, first and last, allowed lateness: compiles
-- warning: 'orders': On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.
-- warning: 'step': On Flink a window fires once, when the watermark passes its end, and drops later records: the allowed lateness (30s) is not used.
-- warning: 'step': On Flink, first (aggregate 'first_amount') is the first value in arrival order that is not NULL (Sluice: by event time).
-- warning: 'step': On Flink, last (aggregate 'last_amount') is the last value in arrival order that is not NULL (Sluice: by event time).

SET 'pipeline.name' = 'Hopping, first and last, allowed lateness';

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
SELECT CAST(window_start AS TIMESTAMP_LTZ(3)) AS `window_start`,
  CAST(window_end AS TIMESTAMP_LTZ(3)) AS `window_end`,
  FIRST_VALUE(`amount`) AS `first_amount`,
  LAST_VALUE(`amount`) AS `last_amount`,
  window_time AS `__sluice_time`
FROM TABLE(HOP(TABLE `orders`, DESCRIPTOR(`ts`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY TABLE `out` (
  `window_start` TIMESTAMP_LTZ(3),
  `window_end` TIMESTAMP_LTZ(3),
  `first_amount` DOUBLE,
  `last_amount` DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'value.json.encode.ignore-null-fields' = 'false',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Hopping__first_and_last__allowed_lateness-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `window_start`, `window_end`, `first_amount`, `last_amount` FROM `step`;
