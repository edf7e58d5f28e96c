// A real app on a temporary data directory, for `app.inject()` tests.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { type ServerOptions, serverOptions } from '../config.js';
import { signInPath } from '../routes/session.js';

export const TEST_TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly options: ServerOptions;
  /** Headers that carry the token. */
  readonly auth: { authorization: string };
  close(): Promise<void>;
}

/** A one-time sign-in link's path (`/login?code=…`), as the server prints. */
export function signInLink(app: FastifyInstance): string {
  return signInPath(app.signInCodes.create().code);
}

/**
 * A real app on a new temporary data directory, removed on close; or on the
 * given `dataDir`, kept on close (to build the app again on it, as after a restart).
 */
export async function testApp(overrides: Partial<ServerOptions> = {}): Promise<TestApp> {
  const own = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'sluice-server-')));
  const options = serverOptions(
    { token: TEST_TOKEN, logLevel: 'silent', port: 0, ...overrides, dataDir },
    {},
  );
  const app = await buildApp(options);
  await app.ready();
  return {
    app,
    options,
    auth: { authorization: `Bearer ${TEST_TOKEN}` },
    async close() {
      await app.close();
      if (own) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test app that logs every request at info level; `logged()` is all it wrote. */
export async function loggingTestApp(): Promise<TestApp & { logged(): string }> {
  let logged = '';
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  const t = await testApp({ logLevel: 'info', logStream });
  return { ...t, logged: () => logged };
}

/** Deploys an example of `examples/` (its file name) on the app; answers the job's id. */
export async function deployExample(t: TestApp, file: string): Promise<string> {
  const url = new URL(`../../../../examples/${file}`, import.meta.url);
  const pipeline = JSON.parse(await readFile(url, 'utf8'));
  const deployed = await t.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: t.auth,
    payload: { pipeline },
  });
  if (deployed.statusCode !== 201) throw new Error(`deploying ${file}: ${deployed.body}`);
  return deployed.json().id;
}
