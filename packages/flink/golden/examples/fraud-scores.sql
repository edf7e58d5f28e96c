-- Card payments scored for fraud: refused
-- error: 'Payments' (payments): Sluice's data generator has no counterpart on Flink (its datagen connector makes other values). Write the records to a Kafka topic and read them from there.
-- error: 'To review' (review): The preview sink runs only on the embedded engine: its rows are kept by Sluice for the canvas. Use a Kafka sink, or run the pipeline embedded.

SET 'pipeline.name' = 'Card payments scored for fraud';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';
