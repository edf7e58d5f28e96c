// A PostgreSQL server for development and tests, from Debian's `postgresql`
// package: `initdb` in a fresh private folder, listening on 127.0.0.1 only, on a
// free port, its socket in that folder, a password for its one role. Standard
// library only: `npm run postgres` and the Vitest global setup both use it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall } from '../ensure-deps.mjs';
import { exitOnSignal } from '../exit-on-signal.mjs';
import { freePort } from '../maven-jars.mjs';

const START_TIMEOUT_MS = 60_000;
/** PostgreSQL refuses to run as root; as root, the server runs as the package's own user. */
const SERVER_USER = 'postgres';

/** The folder of PostgreSQL's programs (the newest version installed), installing it if missing. */
export function ensurePostgres() {
  const found = postgresBin();
  if (found) return found;
  aptInstall(['postgresql'], 'PostgreSQL (the sink and lookup tests and `npm run postgres`)');
  const installed = postgresBin();
  if (!installed) throw new Error('apt-get installed postgresql, but no initdb is to be found.');
  return installed;
}

function postgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0], 'bin') : undefined;
}

/** Who the server's processes run as: `{}` as ourselves, or the postgres user's ids as root. */
function serverIdentity() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(spawnSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).stdout);
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error(`PostgreSQL will not run as root, and there is no '${SERVER_USER}' user.`);
  return { uid, gid };
}

/**
 * Makes a fresh cluster and starts it on 127.0.0.1. Resolves once it takes
 * connections, with how to reach it (`host`, `port`, `user`, `password`,
 * `database`, `url`) and a `stop()` that ends the server and deletes its folder.
 *
 * @param {{port?: number, log?: (line: string) => void}} options
 */
export async function startPostgres(options = {}) {
  const log = options.log ?? (() => {});
  const startedAt = performance.now();
  const bin = ensurePostgres();
  const identity = serverIdentity();
  const dir = await mkdtemp(join(tmpdir(), 'sluice-postgres-'));
  const data = join(dir, 'data');
  const user = 'sluice';
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (identity.uid !== undefined) {
    chownSync(dir, identity.uid, identity.gid);
    chownSync(passwordFile, identity.uid, identity.gid);
  }
  const run = (program, args) =>
    spawnSync(join(bin, program), args, { encoding: 'utf8', ...identity, cwd: dir });
  const init = run('initdb', [
    '-D',
    data,
    '-U',
    user,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  await rm(passwordFile, { force: true });
  if (init.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  }
  const port = await freePort(options.port ?? 0);
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'max_connections=200',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...identity, cwd: dir },
  );
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  exitOnSignal();

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // a fast shutdown: open sessions are ended
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const env = { ...process.env, PGPASSWORD: password };
  const ready = async () => {
    const until = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      const check = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
      if (check.status === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`);
  };
  try {
    await ready();
    const created = spawnSync(
      join(bin, 'createdb'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', user, 'sluice'],
      { encoding: 'utf8', env },
    );
    if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
  } catch (error) {
    await stop();
    throw new Error(`PostgreSQL did not start (${error.message}).\n${output}`);
  }
  const version = (await readFile(join(data, 'PG_VERSION'), 'utf8').catch(() => '?')).trim();
  log(`PostgreSQL ${version} in ${dir}`);
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database: 'sluice',
    url: `postgres://${user}:${password}@127.0.0.1:${port}/sluice`,
    version,
    dir,
    startMs: performance.now() - startedAt,
    exited,
    stop,
  };
}
