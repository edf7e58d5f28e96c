// A local Apache Flink session cluster (one JobManager, one TaskManager and
// the SQL Gateway, three JVMs) for development and tests, assembled from
// Maven Central jars. Standard library only: `npm run flink` and the smoke
// check (scripts/flink/smoke.mjs) use it.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnSignal } from '../exit-on-signal.mjs';
import { ensureMavenJars, freePort } from '../maven-jars.mjs';

/** Keep in step with `flink.version` in pom.xml. */
export const FLINK_VERSION = '2.2.1';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const POM = join(HERE, 'pom.xml');
const CACHE = join(ROOT, '.cache', 'flink', FLINK_VERSION);
const LIBS = join(CACHE, 'libs');
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;

/**
 * What the distribution's config.yaml puts in `env.java.opts.all` for Java 17:
 * Flink (Kryo, Pekko, the planner's Janino/Calcite) reflects into these modules.
 */
const JAVA_17_OPTS = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

/**
 * The jars, fetched with Maven once and cached in `.cache/flink/<version>/libs`.
 * Returns the folder and whether it was fetched now.
 */
export function ensureFlinkJars(log = () => {}) {
  return ensureMavenJars({
    pom: POM,
    libs: LIBS,
    what: `Flink ${FLINK_VERSION}`,
    otherwise: '',
    log,
  });
}

export { freePort };

/**
 * Writes a config.yaml in a fresh temporary folder and starts a JobManager, a
 * TaskManager and the SQL Gateway on 127.0.0.1. Resolves once the REST API
 * reports a registered TaskManager and the gateway answers `GET /v1/info`,
 * with both addresses and a `stop()` that ends the JVMs and deletes the folder.
 *
 * @param {{
 *   restPort?: number,
 *   gatewayPort?: number,
 *   slots?: number,
 *   jobManagerMemory?: string,
 *   taskManagerMemory?: string,
 *   config?: Record<string, string | number | boolean>,
 *   log?: (line: string) => void,
 * }} options
 *   `restPort`, `gatewayPort`: the ports to try first (free ones when taken or not given).
 *   `slots`: task slots of the TaskManager (4). `jobManagerMemory`, `taskManagerMemory`:
 *   process sizes (`1024m`, `2048m`). `config`: more config.yaml entries, flat keys;
 *   they win over the defaults written here.
 */
export async function startFlink(options = {}) {
  const log = options.log ?? (() => {});
  const startedAt = performance.now();
  const { libs, fetched } = await ensureFlinkJars(log);
  const fetchMs = performance.now() - startedAt;
  const dir = await mkdtemp(join(tmpdir(), 'sluice-flink-'));
  const conf = join(dir, 'conf');
  const logs = join(dir, 'log');
  const tmp = join(dir, 'tmp');
  const plugins = join(dir, 'plugins');
  await Promise.all([conf, logs, tmp, plugins].map((path) => mkdir(path, { recursive: true })));

  const ports = {
    rest: await freePort(options.restPort ?? 0),
    gateway: await freePort(options.gatewayPort ?? 0),
    rpc: await freePort(0),
    blob: await freePort(0),
    taskManagerRpc: await freePort(0),
    taskManagerData: await freePort(0),
  };
  const config = {
    ...clusterConfig({ dir, tmp, ports, options }),
    ...(options.config ?? {}),
  };
  await writeFile(join(conf, 'config.yaml'), configYaml(config));
  await writeFile(join(conf, 'log4j.properties'), log4jProperties());

  const classpath = join(libs, '*');
  // An empty plugins folder: without one every JVM warns that `plugins` does not exist.
  const env = { ...process.env, FLINK_CONF_DIR: conf, FLINK_PLUGINS_DIR: plugins };
  const jvm = (name) => [
    ...JAVA_17_OPTS,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    // The planner loader (42 MB) and the Pekko RPC loader (20 MB) unpack jars into
    // java.io.tmpdir, left behind on a SIGKILL: keep them in this cluster's folder.
    `-Djava.io.tmpdir=${tmp}`,
    `-Dlog.file=${join(logs, `${name}.log`)}`,
    `-Dlog4j.configurationFile=${join(conf, 'log4j.properties')}`,
    '-classpath',
    classpath,
  ];

  // Memory sizes, computed by Flink itself as the distribution's scripts do.
  let jmParams;
  let tmParams;
  try {
    [jmParams, tmParams] = await Promise.all([
      resourceParams('GET_JM_RESOURCE_PARAMS', classpath, conf, env),
      resourceParams('GET_TM_RESOURCE_PARAMS', classpath, conf, env),
    ]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const processes = [
    {
      name: 'jobmanager',
      args: [
        ...jmParams.jvm,
        ...jvm('jobmanager'),
        'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
        '--configDir',
        conf,
        ...jmParams.dynamic,
      ],
    },
    {
      name: 'taskmanager',
      args: [
        ...tmParams.jvm,
        ...jvm('taskmanager'),
        'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
        '--configDir',
        conf,
        ...tmParams.dynamic,
      ],
    },
    {
      // The gateway reads FLINK_CONF_DIR (it has no --configDir) and submits to rest.address:rest.port.
      name: 'sql-gateway',
      args: [
        '-Xms256m',
        '-Xmx1g',
        ...jvm('sql-gateway'),
        'org.apache.flink.table.gateway.SqlGateway',
      ],
    },
  ].map((spec) => {
    const child = spawn('java', spec.args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise((resolveExit) => {
      child.once('error', (error) => resolveExit({ name: spec.name, code: null, error }));
      child.once('exit', (code, signal) => resolveExit({ name: spec.name, code, signal }));
    });
    return { name: spec.name, child, exited, output: () => output };
  });
  // Never leave a JVM behind when this process ends without calling stop().
  const killOnExit = () => {
    for (const { child } of processes) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  exitOnSignal();
  /** Resolves with `{name, code, signal}` of the first JVM to end, stopped or not. */
  const exited = Promise.race(processes.map((p) => p.exited));

  let stopping;
  /** Ends the JVMs; deletes the folder (config, logs, checkpoints, savepoints) unless `keepData`. */
  const stop = (stopOptions = {}) => {
    stopping ??= (async () => {
      await Promise.all(
        processes.map(async ({ child, exited: ended }) => {
          if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
            return;
          }
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await ended;
          clearTimeout(timer);
        }),
      );
      process.off('exit', killOnExit);
      if (!stopOptions.keepData) await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const restURL = `http://127.0.0.1:${ports.rest}`;
  const gatewayURL = `http://127.0.0.1:${ports.gateway}`;
  try {
    await Promise.race([
      Promise.all([
        waitFor(`${restURL}/overview`, (body) => body.taskmanagers >= 1, START_TIMEOUT_MS),
        waitFor(`${gatewayURL}/v1/info`, (body) => Boolean(body.version), START_TIMEOUT_MS),
      ]),
      exited.then(({ name, code, signal, error }) => {
        throw new Error(
          `the ${name} ${error ? `could not start: ${error.message}` : `exited with ${signal ?? `code ${code}`}`}`,
        );
      }),
    ]);
  } catch (error) {
    const tails = await Promise.all(
      processes.map(async ({ name, output }) => {
        const file = await readFile(join(logs, `${name}.log`), 'utf8').catch(() => '');
        const text = `${output()}${file.slice(-3000)}`.trim();
        return text ? `--- ${name} ---\n${text}` : '';
      }),
    );
    await stop();
    throw new Error(
      `The Flink cluster did not start (${error.message}).\n${tails.filter(Boolean).join('\n')}`,
    );
  }
  return {
    restURL,
    gatewayURL,
    ports,
    dir,
    logDir: logs,
    version: FLINK_VERSION,
    fetched,
    fetchMs,
    startMs: performance.now() - startedAt,
    /** The JVMs' process ids, by name (jobmanager, taskmanager, sql-gateway). */
    pids: Object.fromEntries(processes.map(({ name, child }) => [name, child.pid])),
    exited,
    stop,
  };
}

function clusterConfig({ dir, tmp, ports, options }) {
  return {
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': ports.rpc,
    'jobmanager.bind-host': '127.0.0.1',
    'jobmanager.memory.process.size': options.jobManagerMemory ?? '1024m',
    'jobmanager.execution.failover-strategy': 'region',
    'taskmanager.host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.rpc.port': ports.taskManagerRpc,
    'taskmanager.data.port': ports.taskManagerData,
    'taskmanager.numberOfTaskSlots': options.slots ?? 4,
    'taskmanager.memory.process.size': options.taskManagerMemory ?? '2048m',
    'blob.server.port': ports.blob,
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': ports.rest,
    'parallelism.default': 1,
    // The REST API serves metrics from a store it refreshes this often (10 s by default).
    'metrics.fetcher.update-interval': 1000,
    'io.tmp.dirs': tmp,
    'web.tmpdir': join(tmp, 'web'),
    // Flink 2.x names; state.checkpoints.dir and state.savepoints.dir are the deprecated ones.
    'execution.checkpointing.dir': `file://${join(dir, 'checkpoints')}`,
    'execution.checkpointing.savepoint-dir': `file://${join(dir, 'savepoints')}`,
    'state.backend.type': 'hashmap',
    // The gateway submits its jobs to this session cluster through the REST API.
    'execution.target': 'remote',
    'sql-gateway.endpoint.type': 'rest',
    'sql-gateway.endpoint.rest.address': '127.0.0.1',
    'sql-gateway.endpoint.rest.bind-address': '127.0.0.1',
    'sql-gateway.endpoint.rest.port': ports.gateway,
  };
}

/** Flat keys are valid in Flink 2's standard-YAML config.yaml; JSON strings are valid YAML scalars. */
function configYaml(config) {
  return `${Object.entries(config)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? JSON.stringify(value) : value}`)
    .join('\n')}\n`;
}

/** One file per JVM, named by `-Dlog.file` (as the distribution does, so the web UI shows it). */
function log4jProperties() {
  return `${[
    'monitorInterval=0',
    'appender.file.type=File',
    'appender.file.name=file',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4j lookup of -Dlog.file, not JavaScript.
    'appender.file.fileName=${sys:log.file}',
    'appender.file.layout.type=PatternLayout',
    'appender.file.layout.pattern=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n',
    'rootLogger.level=INFO',
    'rootLogger.appenderRef.file.ref=file',
    'logger.kafka.name=org.apache.kafka',
    'logger.kafka.level=WARN',
    'logger.pekko.name=org.apache.pekko',
    'logger.pekko.level=WARN',
    'logger.zookeeper.name=org.apache.zookeeper',
    'logger.zookeeper.level=WARN',
    'logger.shaded_zookeeper.name=org.apache.flink.shaded.zookeeper3',
    'logger.shaded_zookeeper.level=WARN',
    'logger.netty.name=org.jboss.netty.channel.DefaultChannelPipeline',
    'logger.netty.level=OFF',
  ].join('\n')}\n`;
}

/**
 * Runs Flink's BashJavaUtils (what jobmanager.sh and taskmanager.sh run) for the
 * JVM memory flags and the `-D key=value` memory settings that go with them.
 */
function resourceParams(command, classpath, conf, env) {
  return new Promise((resolveParams, reject) => {
    const child = spawn(
      'java',
      [
        '-classpath',
        classpath,
        'org.apache.flink.runtime.util.bash.BashJavaUtils',
        command,
        '--configDir',
        conf,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', (error) =>
      reject(new Error(`Java 17 or later is needed to run Flink: ${error.message}`)),
    );
    child.once('exit', (code) => {
      const results = output
        .split('\n')
        .filter((line) => line.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
        .map((line) => line.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
      if (code !== 0 || results.length < 2) {
        reject(
          new Error(
            `Flink could not work out its memory settings (${command}, exit code ${code}):\n${output.slice(-4000)}`,
          ),
        );
        return;
      }
      const words = (line) => line.split(/\s+/).filter(Boolean);
      resolveParams({ jvm: words(results[0]), dynamic: words(results[1]) });
    });
  });
}

/** Polls a JSON endpoint until `ready(body)` holds. */
async function waitFor(url, ready, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.json();
      if (response.ok && ready(body)) return body;
      last = `${response.status} ${JSON.stringify(body).slice(0, 200)}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s (${last})`);
}
