import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryLockedError, lockDirectory } from './lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDirectory', () => {
  it('takes a free directory and gives it back', () => {
    const release = lockDirectory(join(dir, 'state'));
    expect(readFileSync(join(dir, 'state', 'lock'), 'utf8')).toBe(String(process.pid));
    release();
    lockDirectory(join(dir, 'state'))();
  });

  it('refuses a directory a live process holds, naming its pid', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    await new Promise((resolve) => child.once('spawn', resolve));
    try {
      writeFileSync(join(dir, 'lock'), String(child.pid));
      expect(() => lockDirectory(dir, 'the state directory')).toThrow(DirectoryLockedError);
      expect(() => lockDirectory(dir, 'the state directory')).toThrow(
        `the state directory is in use by another Sluice process (pid ${child.pid})`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process is gone', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(join(dir, 'lock'), String(pid));
    const release = lockDirectory(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
