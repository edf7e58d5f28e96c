-- Through RabbitMQ: refused
-- error: 'queue': The kind source.rabbitmq has no Flink SQL mapping.

SET 'pipeline.name' = 'Through RabbitMQ';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';
