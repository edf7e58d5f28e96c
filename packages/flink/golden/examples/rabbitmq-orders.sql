-- Orders from RabbitMQ: refused
-- error: 'Queue 'orders'' (orders): The kind source.rabbitmq has no Flink SQL mapping.

SET 'pipeline.name' = 'Orders from RabbitMQ';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';
