// Makes sure Java 17+ and Maven are there for the Kafka broker the tests
// start (Kafka is assembled from Maven Central jars).
import { spawnSync } from 'node:child_process';
import { aptInstall } from './ensure-deps.mjs';

const works = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

export function ensureJava() {
  if (works('java', ['-version']) && works('mvn', ['-v'])) return;
  aptInstall(['openjdk-17-jre-headless', 'maven'], 'The Kafka tests');
}

if (import.meta.url === `file://${process.argv[1]}`) ensureJava();
