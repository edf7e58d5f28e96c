// Installs the npm dependencies when they are missing or older than
// package-lock.json, and hands over to the Node.js the project runs on.
// Uses only Node's standard library, so it runs on a fresh clone before
// anything is installed, on whatever Node (≥ 20) the machine has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'node_modules', '.sluice-lock-hash');
const bin = join(root, 'node_modules', '.bin');
/** The Node.js line Sluice runs on. */
const NODE_MAJOR = 24;
const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/** Runs a command in the repo root, inheriting stdio; exits the process on failure. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    const how = result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
    console.error(`\n✖ ${command} ${args.join(' ')} failed (${how})`);
    process.exit(result.status ?? 1);
  }
}

export function ensureDeps() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  console.log('› Installing dependencies…');
  // On an older bootstrapping Node, npm warns that packages want Node 24:
  // expected, since they will run on the Node 24 installed here.
  const quiet = major(process.version) < NODE_MAJOR ? ['--loglevel=error'] : [];
  run('npm', ['ci', '--no-audit', '--no-fund', ...quiet]);
  writeFileSync(stamp, hash);
}

/**
 * Makes sure the rest of this script runs on Node.js 24: the one npm installed
 * into node_modules (the `node-linux-*` package) when the machine's own is
 * older. Re-runs the script on it and exits with its code; returns when the
 * script is already on it. Commands run after this (npx, turbo, vitest) find
 * the same Node first on PATH.
 */
export function onProjectNode() {
  process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
  const installed = join(bin, 'node');
  if (!existsSync(installed)) {
    if (major(process.version) >= NODE_MAJOR) return;
    console.error(
      `\n✖ Sluice runs on Node.js ${NODE_MAJOR}. This machine has ${process.version}, and npm has no Node ${NODE_MAJOR} package for ${process.platform}-${process.arch}: install Node.js ${NODE_MAJOR} and run again.\n`,
    );
    process.exit(1);
  }
  if (realpathSync(process.execPath) === realpathSync(installed)) return;
  // Ctrl-C reaches the child too; this process waits for it to finish.
  process.on('SIGINT', () => {});
  const result = spawnSync(installed, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDeps();

/** Installs Debian packages with apt when running as root (as CI does); otherwise says what to run and exits. */
export function aptInstall(packages, purpose) {
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `\n✖ ${purpose} need ${packages.join(' and ')}. Install with:\n\n    sudo apt-get update && sudo ${command}\n`,
    );
    process.exit(1);
  }
  console.log(`› Installing ${packages.join(' and ')} for ${purpose} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', command.split(' ').slice(1), { env });
}
