import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIO, main } from './main.js';

describe('sluice start', () => {
  it('serves on loopback with a generated token, prints a one-time login link, and stops on abort', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sluice-start-'));
    const abort = new AbortController();
    let stdout = '';
    const io: CliIO = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      cwd: dataDir,
      isTTY: false,
      signal: abort.signal,
    };
    const previous = process.env.SLUICE_TOKEN;
    delete process.env.SLUICE_TOKEN;
    try {
      const running = main(['start', '--port', '0', '--data-dir', dataDir], io);
      await expect.poll(() => stdout, { timeout: 10_000 }).toContain('/login?code=');
      const login = /http:\/\/127\.0\.0\.1:(\d+)\/login\?code=([A-Za-z0-9_-]{43})\s/.exec(stdout);
      expect(login).not.toBeNull();
      // The link holds a one-time code; the token is printed nowhere, only where to find it.
      const token = (await readFile(join(dataDir, 'state', 'token'), 'utf8')).trim();
      expect(stdout).not.toContain(token);
      expect(stdout).toContain(join(dataDir, 'state', 'token'));
      const base = `http://127.0.0.1:${login![1]}`;
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      expect((await fetch(`${base}/api/catalog`)).status).toBe(401);
      const signedIn = await fetch(login![0]!, { redirect: 'manual' });
      expect(signedIn.status).toBe(302);
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${base}/api/catalog`, { headers: { cookie } })).status).toBe(200);
      const again = await fetch(login![0]!, { redirect: 'manual' });
      expect(again.headers.get('location')).toBe('/?sign-in=used');
      abort.abort();
      expect(await running).toBe(0);
      await expect(fetch(`${base}/api/health`)).rejects.toThrow();
    } finally {
      if (previous !== undefined) process.env.SLUICE_TOKEN = previous;
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a short SLUICE_TOKEN, saying why', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sluice-start-'));
    let stderr = '';
    const io: CliIO = {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      cwd: dataDir,
      isTTY: false,
    };
    const previous = process.env.SLUICE_TOKEN;
    process.env.SLUICE_TOKEN = 'a';
    try {
      expect(await main(['start', '--port', '0', '--data-dir', dataDir], io)).toBe(2);
      expect(stderr).toContain('SLUICE_TOKEN is too short (1 characters): use at least 32');
    } finally {
      if (previous === undefined) delete process.env.SLUICE_TOKEN;
      else process.env.SLUICE_TOKEN = previous;
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a port that is not a number', async () => {
    let stderr = '';
    const io: CliIO = {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      cwd: '.',
      isTTY: false,
    };
    expect(await main(['start', '--port', 'eighty'], io)).toBe(2);
    expect(stderr).toContain('--port');
  });
});
