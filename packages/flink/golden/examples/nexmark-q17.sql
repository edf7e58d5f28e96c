-- Nexmark q17: auction statistics report: refused
-- error: 'Nexmark' (nexmark): Flink has no Nexmark source. Write the events to a Kafka topic and read them from there (npm run bench -- --vs flink does).

SET 'pipeline.name' = 'Nexmark q17: auction statistics report';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';
