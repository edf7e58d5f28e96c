import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.js';
import type { CliIO } from './io.js';
import { loginCommand } from './login.js';

let dataDir: string;
let server: RunningServer;
let previous: string | undefined;
beforeAll(async () => {
  previous = process.env.SLUICE_TOKEN;
  delete process.env.SLUICE_TOKEN;
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-login-'));
  server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  if (previous !== undefined) process.env.SLUICE_TOKEN = previous;
});

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    cwd: tmpdir(),
    isTTY: false,
  };
  return { io, out: () => out, err: () => err };
}

const portOf = (s: RunningServer) => new URL(s.url).port;

describe('sluice login', () => {
  it('prints a new one-time link from the running server, never the token', async () => {
    const { io, out } = capture();
    expect(await loginCommand({ dataDir, port: portOf(server) }, io, {})).toBe(0);
    const link = /http:\/\/127\.0\.0\.1:\d+\/login\?code=[A-Za-z0-9_-]{43}/.exec(out())![0];
    expect(out()).not.toContain(server.options.token);
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.headers.get('location')).toBe('/');
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/?sign-in=used');
  });

  it('says so when the data directory holds no token', async () => {
    const { io, err } = capture();
    const empty = join(dataDir, 'nowhere');
    expect(await loginCommand({ dataDir: empty, port: portOf(server) }, io, {})).toBe(2);
    expect(err()).toContain(`there is no token in ${join(empty, 'state', 'token')}`);
  });

  it('says so when the token is not the server’s', async () => {
    const { io, err } = capture();
    const env = { SLUICE_TOKEN: 'another-token-0123456789abcdefghijklmnop' };
    expect(await loginCommand({ port: portOf(server) }, io, env)).toBe(1);
    expect(err()).toContain('refused the token in SLUICE_TOKEN');
  });

  it('says so when no server answers', async () => {
    const { io, err } = capture();
    const stopped = await startServer({ port: 0, dataDir, logLevel: 'silent' });
    const port = portOf(stopped);
    await stopped.close();
    expect(await loginCommand({ dataDir, port }, io, {})).toBe(1);
    expect(err()).toContain(`no Sluice server answers at http://127.0.0.1:${port}`);
  });
});
