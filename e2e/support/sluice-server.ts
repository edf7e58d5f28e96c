// Starts the real `sluice start` command, as a user would, and reads the login
// link it prints. No token is given: the server makes its own, as on a first run.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'apps/server/bin/sluice.js');
const BUILT_CLI = join(REPO_ROOT, 'apps/server/dist/cli/main.js');
const LOGIN_MARKER = 'Open this link to sign in:';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface SluiceServer {
  readonly baseURL: string;
  readonly loginURL: string;
  readonly dataDir: string;
  /** Stops the server (SIGTERM, a clean exit) and removes its data directory. */
  stop(): Promise<void>;
}

/** A server a test owns: it can be taken down and brought back on the same address and data. */
export interface RestartableSluiceServer extends SluiceServer {
  /** The token, read from the data directory as a script would. */
  readonly token: string;
  /** Stops the server as SIGTERM does, keeping its data directory; its address stays its own. */
  down(): Promise<void>;
  /** Kills the server (SIGKILL), as a crash would, keeping its data directory. */
  crash(): Promise<void>;
  /** Starts it again on the same port and data directory, after `down()` or `crash()`. */
  up(): Promise<void>;
}

interface Started {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly loginURL: string;
  readonly killOnExit: () => void;
}

async function launch(
  dataDir: string,
  port: number,
  kafka?: string,
  flink?: string,
): Promise<Started> {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(
      `The server is not built (${BUILT_CLI} is missing). Run \`npx turbo run build\` (or \`npm test\`, which builds first) before the e2e tests.`,
    );
  }
  // None of the developer's SLUICE_* settings (token, port, origins…) leak in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SLUICE_')),
  );
  const args = [CLI, 'start', '--port', String(port), '--data-dir', dataDir];
  // The cluster the designer browses when a request names none.
  if (kafka) args.push('--kafka', kafka);
  // A Flink cluster pipelines can run on: NAME=GATEWAY_URL,REST_URL.
  if (flink) args.push('--flink', flink);
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Should the runner die without its teardown, the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const output: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output.push(chunk);
    process.stderr.write(prefixLines(chunk));
  });
  try {
    return { child, output, killOnExit, loginURL: await readLoginURL(child, output) };
  } catch (error) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw error;
  }
}

export async function startSluiceServer(options: { kafka?: string } = {}): Promise<SluiceServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
  let started: Started;
  try {
    started = await launch(dataDir, 0, options.kafka);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    baseURL: new URL(started.loginURL).origin,
    loginURL: started.loginURL,
    dataDir,
    async stop() {
      try {
        await stopProcess(started.child, started.output);
      } finally {
        process.off('exit', started.killOnExit);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A server of the test's own, beside the run's shared one, for tests that stop
 * or kill it. Its port is chosen on the first start and kept, so a page that
 * was open on it finds it again.
 */
export async function startRestartableSluiceServer(
  options: { kafka?: string; flink?: string } = {},
): Promise<RestartableSluiceServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-e2e-own-'));
  let current: Started | null;
  try {
    current = await launch(dataDir, 0, options.kafka, options.flink);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const baseURL = new URL(current.loginURL).origin;
  const port = Number(new URL(baseURL).port);
  const token = readFileSync(join(dataDir, 'state', 'token'), 'utf8').trim();
  const release = (started: Started) => process.off('exit', started.killOnExit);
  return {
    baseURL,
    loginURL: current.loginURL,
    dataDir,
    token,
    async down() {
      if (!current) throw new Error('The server is already down.');
      const started = current;
      current = null;
      try {
        await stopProcess(started.child, started.output);
      } finally {
        release(started);
      }
    },
    async crash() {
      if (!current) throw new Error('The server is already down.');
      const started = current;
      current = null;
      const exited = new Promise((resolve) => started.child.once('exit', resolve));
      started.child.kill('SIGKILL');
      await exited;
      release(started);
    },
    async up() {
      if (current) throw new Error('The server is already up.');
      current = await launch(dataDir, port, options.kafka, options.flink);
    },
    async stop() {
      try {
        if (current) await stopProcess(current.child, current.output);
      } finally {
        if (current) release(current);
        current = null;
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function prefixLines(text: string): string {
  return text.replace(/^(?=.)/gm, '[sluice] ');
}

/** Resolves with the first non-empty line after "Open this link to sign in:". */
function readLoginURL(child: ChildProcess, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let markerSeen = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`${why}\nWhat the server printed:\n${output.join('') || '(nothing)'}`));
    };
    const timer = setTimeout(
      () => fail(`The Sluice server printed no login link within ${START_TIMEOUT_MS / 1000} s.`),
      START_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(`The Sluice server could not start: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`The Sluice server exited (${signal ?? `code ${code}`}) before printing a login link.`),
    );
    lines.on('line', (line) => {
      output.push(`${line}\n`);
      if (line.trim() === LOGIN_MARKER) markerSeen = true;
      else if (markerSeen && line.trim() !== '') {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        // Keep reading, so a full pipe never blocks the server.
        lines.removeAllListeners('line');
        lines.on('line', (later) => output.push(`${later}\n`));
        resolve(line.trim());
      }
    });
  });
}

/** SIGTERM, then waits for a clean exit; a server that hangs or fails on stop fails the run. */
async function stopProcess(child: ChildProcess, output: string[]): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(
      `The Sluice server had already exited (${child.signalCode ?? `code ${child.exitCode}`}) before the tests ended.\n${output.join('')}`,
    );
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.kill('SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    child.kill('SIGKILL');
    throw new Error(
      `The Sluice server did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM.\n${output.join('')}`,
    );
  }
  if (result.code !== 0) {
    throw new Error(
      `The Sluice server stopped with ${result.signal ?? `exit code ${result.code}`} after SIGTERM, not 0.\n${output.join('')}`,
    );
  }
}
