// The real Kafka client's read_committed view of a topic, for tests and
// tools that check transactional output. @platformatic/kafka's own filter
// hands out records of some aborted transactions (several aborts by one
// producer in one fetch; an aborted transaction larger than a fetch), so a
// check that each record is there once cannot trust it.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../../../../..');
const KAFKA_VERSION = '4.1.1';

/**
 * Every committed record's value of `topic`, partition by partition, in
 * offset order, read with the Java client in the cached Kafka jars
 * (scripts/kafka/ReadCommitted.java; needs `java` on the PATH).
 */
export async function readCommitted(bootstrap: string, topic: string): Promise<string[]> {
  const libs = join(ROOT, '.cache', 'kafka', KAFKA_VERSION, 'libs', '*');
  const { stdout } = await promisify(execFile)(
    'java',
    ['-cp', libs, join(ROOT, 'scripts', 'kafka', 'ReadCommitted.java'), bootstrap, topic],
    { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  return stdout.split('\n').filter((line) => line.length > 0);
}
