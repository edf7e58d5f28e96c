-- A CSV file with a header row: refused
-- error: 'orders': Flink's CSV format has no header row to skip: turn Header row off and remove it from the file, or use JSON Lines.

SET 'pipeline.name' = 'A CSV file with a header row';

SET 'table.local-time-zone' = 'UTC';

SET 'execution.checkpointing.interval' = '10 s';
