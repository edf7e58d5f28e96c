// What the Kafka broker and the Flink cluster of development and tests share:
// their jars, fetched from Maven Central once (with `mvn dependency:copy-dependencies`
// on a pom that only names them), and free ports on 127.0.0.1. Standard library only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * The jars `pom` names, in `libs` (cached: fetched only when `libs/.complete`
 * is missing). Fetched into a private folder renamed in place, so a fetch that
 * is interrupted, or two at once, never leave a half-filled cache. `what`
 * names them in messages ("Kafka 4.1.1"); `otherwise` says what to do without Maven.
 */
export async function ensureMavenJars({ pom, libs, what, otherwise = '', log = () => {} }) {
  if (existsSync(join(libs, '.complete'))) return { libs, fetched: false };
  if (spawnSync('mvn', ['-v'], { stdio: 'ignore' }).error) {
    throw new Error(
      `Maven (mvn) is needed once, to fetch the ${what} jars from Maven Central into ${libs}. Install Maven 3${otherwise}.`,
    );
  }
  log(`Fetching ${what} from Maven Central (once) into ${libs}…`);
  const cache = dirname(libs);
  await mkdir(cache, { recursive: true });
  const partial = await mkdtemp(join(cache, 'fetch-'));
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${partial}`,
      '-DincludeScope=runtime',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    await rm(partial, { recursive: true, force: true });
    throw new Error(
      `Maven could not fetch the ${what} jars:\n${(result.stdout + result.stderr).slice(-4000)}`,
    );
  }
  await writeFile(join(partial, '.complete'), `${new Date().toISOString()}\n`);
  try {
    await rename(partial, libs);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(join(libs, '.complete'))) throw error;
  }
  return { libs, fetched: true };
}

/** A TCP port free on 127.0.0.1 now (the OS picks it, or `preferred` when it is free). */
export function freePort(preferred = 0) {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error) =>
      preferred ? freePort(0).then(resolvePort, reject) : reject(error),
    );
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}
