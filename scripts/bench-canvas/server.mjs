// A server of the benchmark's own, started as the e2e support starts one: the
// built `sluice start` of a checkout, a fresh data directory, port 0, and the
// sign-in link it prints. Its token (read from the data directory) imports the
// pipeline and mints a sign-in link per page.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const LOGIN_MARKER = 'Open this link to sign in:';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startServer(root) {
  for (const built of ['apps/server/dist/cli/main.js', 'apps/web/dist/index.html']) {
    if (!existsSync(join(root, built))) {
      throw new Error(
        `${join(root, built)} is missing: build that checkout first (npx turbo run build).`,
      );
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-canvas-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SLUICE_')),
  );
  const child = spawn(
    process.execPath,
    [join(root, 'apps/server/bin/sluice.js'), 'start', '--port', '0', '--data-dir', dataDir],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const output = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => output.push(chunk));
  let loginURL;
  try {
    loginURL = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      let marker = false;
      const timer = setTimeout(
        () => reject(new Error('no sign-in link within 30 s')),
        START_TIMEOUT_MS,
      );
      child.once('exit', (code, signal) =>
        reject(new Error(`the server exited (${signal ?? code})`)),
      );
      lines.on('line', (line) => {
        output.push(`${line}\n`);
        if (line.trim() === LOGIN_MARKER) marker = true;
        else if (marker && line.trim() !== '') {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          // Keep reading, so a full pipe never blocks the server.
          lines.removeAllListeners('line');
          lines.on('line', (later) => output.push(`${later}\n`));
          resolve(line.trim());
        }
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${error.message}\n${output.join('')}`);
  }
  const baseURL = new URL(loginURL).origin;
  const token = readFileSync(join(dataDir, 'state', 'token'), 'utf8').trim();
  const call = async (method, path, body) => {
    const response = await fetch(`${baseURL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    root,
    baseURL,
    call,
    newLoginURL: async () => (await call('POST', '/api/session/links')).url,
    async stop() {
      const exited =
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
