-- Card payments scored for fraud, into PostgreSQL and Kafka: refused
-- error: 'Payments' (payments): Sluice's data generator has no counterpart on Flink (its datagen connector makes other values). Write the records to a Kafka topic and read them from there.

SET 'pipeline.name' = 'Card payments scored for fraud, into PostgreSQL and Kafka';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';
