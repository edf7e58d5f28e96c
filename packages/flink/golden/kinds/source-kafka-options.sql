-- Kafka options: compiles
-- warning: 'orders': On Flink a start time applies on every start without a savepoint, even when the group has a saved position (Sluice: only when it has none).
-- warning: 'orders': On Flink, CSV timestamps are read and written as 'yyyy-MM-dd HH:mm:ss.SSS' in UTC (Sluice: ISO-8601 or epoch milliseconds).
-- warning: 'orders': On Flink a message that cannot be read fails the job: Flink SQL has no dead-letter topic, so 'orders.dlq' is not written.
-- warning: 'out': On Flink, CSV timestamps are read and written as 'yyyy-MM-dd HH:mm:ss.SSS' in UTC (Sluice: ISO-8601 or epoch milliseconds).

SET 'pipeline.name' = 'Kafka options';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';

CREATE TEMPORARY TABLE `orders` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  `message_key` STRING,
  `written_at` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  `__sluice_headers` MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL,
  `trace` AS CAST(`__sluice_headers`['trace-id'] AS STRING),
  WATERMARK FOR `ts` AS `ts` - INTERVAL '0.001' SECOND(1, 3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders-eu;orders-us',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'sluice-cases',
  'scan.startup.mode' = 'timestamp',
  'scan.startup.timestamp-millis' = '1714521600000',
  'key.format' = 'raw',
  'key.fields' = 'message_key',
  'value.fields-include' = 'EXCEPT_KEY',
  'value.format' = 'csv',
  'value.csv.field-delimiter' = ';',
  'scan.watermark.idle-timeout' = '30 s',
  'scan.watermark.emit.strategy' = 'on-event'
);

CREATE TEMPORARY TABLE `out` (
  `order_id` BIGINT,
  `customer` STRING,
  `category` STRING,
  `amount` DOUBLE,
  `ts` TIMESTAMP_LTZ(3),
  `message_key` STRING,
  `written_at` TIMESTAMP_LTZ(3),
  `trace` STRING,
  `__sluice_key` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'out-topic',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.compression.type' = 'zstd',
  'key.format' = 'raw',
  'key.fields' = '__sluice_key',
  'value.fields-include' = 'EXCEPT_KEY',
  'value.format' = 'csv',
  'value.csv.field-delimiter' = ',',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'sluice-Kafka_options-out',
  'properties.transaction.timeout.ms' = '600000'
);

INSERT INTO `out`
SELECT `order_id`, `customer`, `category`, `amount`, `ts`, `message_key`, `written_at`, `trace`, CAST(`order_id` AS STRING) AS `__sluice_key` FROM `orders`;
