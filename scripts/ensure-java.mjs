// Makes sure Java 17+ and Maven are there for the Kafka broker the tests
// start (Kafka is assembled from Maven Central jars). Installs them with apt
// when running as root, as CI does; otherwise says what to run.
import { spawnSync } from 'node:child_process';
import { run } from './ensure-deps.mjs';

const PACKAGES = ['openjdk-17-jre-headless', 'maven'];

function works(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

export function ensureJava() {
  if (works('java', ['-version']) && works('mvn', ['-v'])) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `\n✖ The Kafka tests need Java 17+ and Maven. Install them with:\n\n    sudo apt-get update && sudo apt-get install -y ${PACKAGES.join(' ')}\n`,
    );
    process.exit(1);
  }
  console.log('› Installing Java and Maven for the Kafka broker (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { env });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureJava();
