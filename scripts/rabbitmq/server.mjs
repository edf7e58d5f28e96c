// A RabbitMQ broker for development and tests, from Debian's `rabbitmq-server`
// package (installed if missing): a node of its own in a fresh private folder
// (its database, logs, config and Erlang cookie there), listening on 127.0.0.1
// only, on free ports (AMQP, Erlang distribution, and an epmd of its own), with
// one user of a random password. Standard library only: `npm run rabbitmq` and
// the Vitest global setup both use it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall } from '../ensure-deps.mjs';
import { exitOnSignal } from '../exit-on-signal.mjs';
import { freePort } from '../maven-jars.mjs';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const START_TIMEOUT_MS = 90_000;

/** Installs Debian's rabbitmq-server when it is missing (as root; otherwise says how). */
export function ensureRabbitMQ() {
  if (existsSync(SERVER)) return SERVER;
  aptInstall(['rabbitmq-server'], 'RabbitMQ (the queue tests and `npm run rabbitmq`)');
  if (!existsSync(SERVER))
    throw new Error(`apt-get installed rabbitmq-server, but ${SERVER} is missing.`);
  return SERVER;
}

/** Whether an AMQP 0-9-1 server answers on the port: it sends Connection.Start for our header. */
function amqpAnswers(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    socket.once('data', (data) => done(data[0] === 1)); // a method frame
  });
}

/**
 * Starts a fresh broker. Resolves once it speaks AMQP, with how to reach it
 * (`host`, `port`, `user`, `password`, `url`) and a `stop()` that ends it,
 * its epmd, and deletes its folder.
 *
 * @param {{port?: number, log?: (line: string) => void}} options
 */
export async function startRabbitMQ(options = {}) {
  const log = options.log ?? (() => {});
  const startedAt = performance.now();
  const server = ensureRabbitMQ();
  const dir = await mkdtemp(join(tmpdir(), 'sluice-rabbitmq-'));
  const port = await freePort(options.port ?? 0);
  const distPort = await freePort(0);
  const epmdPort = await freePort(0);
  const user = 'sluice';
  const password = randomBytes(18).toString('base64url');
  const node = `sluice-${randomBytes(4).toString('hex')}@localhost`;
  await mkdir(join(dir, 'log'));
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      `default_user = ${user}`,
      `default_pass = ${password}`,
      'loopback_users = none',
      // Tests fill queues quickly on a small machine: no flow control from a low disk or memory mark.
      'disk_free_limit.absolute = 50MB',
      'vm_memory_high_watermark.relative = 0.8',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
  await writeFile(join(dir, 'rabbitmq-env.conf'), '');
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RABBITMQ_'))),
    HOME: dir, // its Erlang cookie
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
  };
  const child = spawn(server, [], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  // Erlang starts an epmd that outlives the node: ours, on its own port, ends with it.
  const killEpmd = () =>
    spawnSync('epmd', ['-port', String(epmdPort), '-kill'], { stdio: 'ignore', env });
  const killOnExit = () => {
    child.kill('SIGKILL');
    killEpmd();
  };
  process.once('exit', killOnExit);
  exitOnSignal();

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      killEpmd();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const until = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      if (await amqpAnswers(port)) break;
      if (Date.now() > until) throw new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    throw new Error(`RabbitMQ did not start (${error.message}).\n${output}`);
  }
  const version = /RabbitMQ ([\d.]+)/.exec(output)?.[1] ?? '3';
  log(`RabbitMQ ${version} in ${dir}`);
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: `amqp://${user}:${password}@127.0.0.1:${port}`,
    version,
    dir,
    startMs: performance.now() - startedAt,
    exited,
    stop,
  };
}
