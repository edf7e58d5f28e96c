import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesDir, MIN_TOKEN_CHARS, serverOptions, stateDir } from './config.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-config-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('the token', () => {
  it.each(['a', 'short-token', 'x'.repeat(31)])('refuses SLUICE_TOKEN=%j, saying why', (token) => {
    expect(() => serverOptions({ dataDir }, { SLUICE_TOKEN: token })).toThrow(
      `SLUICE_TOKEN is too short (${token.length} characters): use at least ${MIN_TOKEN_CHARS} random characters`,
    );
  });

  it.each(['a'.repeat(40), 'ab'.repeat(20), '0123456'.repeat(6)])(
    'refuses SLUICE_TOKEN=%j: long, but of too few different characters',
    (token) => {
      expect(() => serverOptions({ dataDir }, { SLUICE_TOKEN: token })).toThrow(
        /SLUICE_TOKEN is not random enough \(only \d different characters\)/,
      );
    },
  );

  it('accepts a long SLUICE_TOKEN, and makes a strong one when none is given', async () => {
    const long = 'k0123456789'.repeat(3);
    expect(serverOptions({ dataDir }, { SLUICE_TOKEN: long }).token).toBe(long);
    const made = serverOptions({ dataDir }, {}).token;
    expect(made.length).toBeGreaterThanOrEqual(MIN_TOKEN_CHARS);
    expect(serverOptions({ dataDir }, {}).token).toBe(made);
  });
});

describe('the data directory layout', () => {
  it('keeps the database and the token in state/, out of reach of the files folder', async () => {
    const options = serverOptions({ dataDir }, {});
    const files = filesDir(options);
    const state = stateDir(options);
    expect(relative(dataDir, files)).toBe('files');
    expect(relative(dataDir, state)).toBe('state');
    expect(await readFile(join(state, 'token'), 'utf8')).toContain(options.token);
    expect(existsSync(join(dataDir, 'token'))).toBe(false);
    // Nothing file nodes can name (a path under files/) reaches state/.
    expect(relative(files, state).startsWith('..')).toBe(true);
  });

  it('moves the database and the token of an older data directory into state/', async () => {
    const token = 't'.repeat(43);
    await writeFile(join(dataDir, 'token'), `${token}\n`);
    await writeFile(join(dataDir, 'sluice.db'), 'old database');
    await writeFile(join(dataDir, 'sluice.db-wal'), 'old log');
    await mkdir(join(dataDir, 'files'));

    const options = serverOptions({ dataDir }, {});

    expect(options.token).toBe(token);
    const state = stateDir(options);
    expect(await readFile(join(state, 'sluice.db'), 'utf8')).toBe('old database');
    expect(await readFile(join(state, 'sluice.db-wal'), 'utf8')).toBe('old log');
    for (const moved of ['token', 'sluice.db', 'sluice.db-wal']) {
      expect(existsSync(join(dataDir, moved))).toBe(false);
    }
  });
});
