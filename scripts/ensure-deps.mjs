// Installs the npm dependencies when they are missing or older than
// package-lock.json. Uses only Node's standard library, so it runs on a
// fresh clone before anything is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'node_modules', '.sluice-lock-hash');

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
  // `npm install` rather than `npm ci`: the lock file holds only the platform
  // binaries (Biome, Turbo) the registry could serve where it was made, and
  // npm ci refuses a lock without the others. The lock still pins every version.
  run('npm', ['install', '--no-audit', '--no-fund']);
  writeFileSync(stamp, hash);
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
