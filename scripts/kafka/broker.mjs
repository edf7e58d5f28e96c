// A single-node Apache Kafka broker (KRaft: broker and controller in one JVM)
// for development and tests, assembled from Maven Central jars. Standard
// library only: `npm run kafka` and the Vitest global setup both use it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnSignal } from '../exit-on-signal.mjs';
import { ensureMavenJars, freePort } from '../maven-jars.mjs';

/** Keep in step with `kafka.version` in pom.xml. */
export const KAFKA_VERSION = '4.1.1';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const POM = join(HERE, 'pom.xml');
const CACHE = join(ROOT, '.cache', 'kafka', KAFKA_VERSION);
const LIBS = join(CACHE, 'libs');
const START_TIMEOUT_MS = 90_000;

/**
 * The jars, fetched with Maven once and cached in `.cache/kafka/<version>/libs`.
 * Returns the folder and whether it was fetched now.
 */
export function ensureKafkaJars(log = () => {}) {
  return ensureMavenJars({
    pom: POM,
    libs: LIBS,
    what: `Kafka ${KAFKA_VERSION}`,
    otherwise: ', or start Kafka yourself and set SLUICE_KAFKA_BOOTSTRAP',
    log,
  });
}

export { freePort };

/**
 * Formats a fresh log directory and starts the broker on 127.0.0.1. Resolves
 * once it answers an ApiVersions request, with its bootstrap address and a
 * `stop()` that ends the JVM and deletes the log directory.
 *
 * @param {{port?: number, dir?: string, log?: (line: string) => void}} options
 *   `port`: the port to try first (a free one when it is taken or not given).
 *   `dir`: the folder of a broker started before and stopped with `stop({keepData: true})`:
 *   it starts again on the same ports with the same data (a broker restart, for tests).
 */
export async function startBroker(options = {}) {
  const log = options.log ?? (() => {});
  const startedAt = performance.now();
  const { libs, fetched } = await ensureKafkaJars(log);
  const fetchMs = performance.now() - startedAt;
  const again = options.dir !== undefined && existsSync(join(options.dir, 'ports.json'));
  const dir = again ? options.dir : await mkdtemp(join(tmpdir(), 'sluice-kafka-'));
  const { port, controllerPort } = again
    ? JSON.parse(await readFile(join(dir, 'ports.json'), 'utf8'))
    : { port: await freePort(options.port ?? 0), controllerPort: await freePort(0) };
  const logDirs = join(dir, 'data');
  const properties = join(dir, 'server.properties');
  await writeFile(join(dir, 'ports.json'), JSON.stringify({ port, controllerPort }));
  await writeFile(properties, serverProperties({ port, controllerPort, logDirs }));
  await writeFile(join(dir, 'log4j2.properties'), log4jProperties(join(dir, 'server.log')));
  const classpath = join(libs, '*');
  const jvm = [
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    '-cp',
    classpath,
  ];

  // A random cluster id: 16 bytes in URL-safe base64, as `kafka-storage random-uuid` makes.
  const clusterId = randomBytes(16).toString('base64url');
  const format = again
    ? { status: 0 }
    : spawnSync(
        'java',
        [
          ...jvm,
          'kafka.tools.StorageTool',
          'format',
          `--cluster-id=${clusterId}`,
          '-c',
          properties,
        ],
        { encoding: 'utf8' },
      );
  if (format.error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Java 17 or later is needed to run Kafka: ${format.error.message}`);
  }
  if (format.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Formatting the Kafka log directory failed:\n${format.stdout}${format.stderr}`);
  }

  const child = spawn('java', [...jvm, 'kafka.Kafka', properties], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  // Never leave a JVM behind when this process ends without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  exitOnSignal();

  let stopping;
  /** Ends the JVM; deletes the data unless `keepData` (then `startBroker({dir: logDir})` starts it again). */
  const stop = (stopOptions = {}) => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (!stopOptions.keepData) await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const bootstrap = `127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilAnswering('127.0.0.1', port, START_TIMEOUT_MS),
      exited.then((code) => {
        throw new Error(`exited with code ${code}`);
      }),
    ]);
  } catch (error) {
    const serverLog = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(
      `The Kafka broker did not start (${error.message}).\n${output}\n${serverLog.slice(-4000)}`,
    );
  }
  return {
    bootstrap,
    port,
    logDir: dir,
    version: KAFKA_VERSION,
    fetched,
    fetchMs,
    startMs: performance.now() - startedAt,
    /** Resolves with the exit code when the JVM ends, stopped or not. */
    exited,
    stop,
  };
}

function serverProperties({ port, controllerPort, logDirs }) {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${logDirs}`,
    'num.partitions=1',
    // One node: every internal topic has one replica, and needs only that one in sync.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // A group forms at once instead of waiting 3 s for more members.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
  ].join('\n')}\n`;
}

function log4jProperties(file) {
  return `${[
    'appender.file.type=File',
    'appender.file.name=file',
    `appender.file.fileName=${file}`,
    'appender.file.layout.type=PatternLayout',
    'appender.file.layout.pattern=[%d] %p %m (%c)%n',
    'rootLogger.level=INFO',
    'rootLogger.appenderRef.file.ref=file',
    'logger.kafka.name=kafka',
    'logger.kafka.level=WARN',
    'logger.apache.name=org.apache.kafka',
    'logger.apache.level=WARN',
    'logger.started.name=kafka.server.KafkaRaftServer',
    'logger.started.level=INFO',
  ].join('\n')}\n`;
}

/** Polls with an ApiVersions request until the broker answers without error. */
async function waitUntilAnswering(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      await apiVersions(host, port);
      return;
    } catch (error) {
      last = error.message;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer on ${host}:${port} after ${timeoutMs / 1000} s (${last})`);
}

/**
 * One ApiVersions v0 request: the one request every Kafka version answers.
 * The broker opens its listener to requests only once it has joined the
 * cluster, so an answer means it is ready.
 */
function apiVersions(host, port) {
  return new Promise((resolveAnswer, reject) => {
    const clientId = Buffer.from('sluice-probe');
    const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
    let at = request.writeInt32BE(request.length - 4, 0);
    at = request.writeInt16BE(18, at); // ApiVersions
    at = request.writeInt16BE(0, at); // version 0
    at = request.writeInt32BE(7, at); // correlation id
    at = request.writeInt16BE(clientId.length, at);
    clientId.copy(request, at);
    const socket = createConnection({ host, port });
    let received = Buffer.alloc(0);
    socket.setTimeout(2000, () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 10) return;
      socket.destroy();
      const correlation = received.readInt32BE(4);
      const errorCode = received.readInt16BE(8);
      if (correlation === 7 && errorCode === 0) resolveAnswer();
      else reject(new Error(`ApiVersions error ${errorCode}`));
    });
    socket.once('close', () => reject(new Error('connection closed')));
  });
}
