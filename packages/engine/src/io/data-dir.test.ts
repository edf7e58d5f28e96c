import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDir, DataDirError } from './data-dir.js';

let root: string;
let outside: string;
let data: DataDir;
beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'sluice-data-')));
  outside = await realpath(await mkdtemp(join(tmpdir(), 'sluice-outside-')));
  data = new DataDir(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('DataDir.resolveExisting', () => {
  it('gives the real path of a file inside, in a subfolder too', async () => {
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub', 'a.csv'), '');
    expect(await data.resolveExisting('sub/a.csv')).toBe(join(root, 'sub', 'a.csv'));
    expect(await data.resolveExisting('sub/../sub/./a.csv')).toBe(join(root, 'sub', 'a.csv'));
  });

  it.each([
    ['../x.csv', 'leads out of the data directory'],
    ['sub/../../x.csv', 'leads out of the data directory'],
    ['..', 'leads out of the data directory'],
    ['.', 'leads out of the data directory'],
    ['/etc/passwd', 'must be a path relative to the data directory'],
    ['', 'must be a path relative to the data directory'],
    ['C:\\data\\x.csv', 'must be a path relative to the data directory'],
  ])('refuses %j', async (path, message) => {
    const refusal = data.resolveExisting(path);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toBeInstanceOf(DataDirError);
  });

  it('says so when the file does not exist', async () => {
    await expect(data.resolveExisting('missing.csv')).rejects.toThrow(
      "There is no file 'missing.csv' in the data directory.",
    );
  });

  it('refuses a symbolic link to a file outside, and one to a folder outside', async () => {
    await writeFile(join(outside, 'secret.csv'), 'x');
    await symlink(join(outside, 'secret.csv'), join(root, 'file-link.csv'));
    await symlink(outside, join(root, 'folder-link'));
    await expect(data.resolveExisting('file-link.csv')).rejects.toThrow('through a symbolic link');
    await expect(data.resolveExisting('folder-link/secret.csv')).rejects.toThrow(
      'through a symbolic link',
    );
  });

  it('accepts a symbolic link that stays inside', async () => {
    await mkdir(join(root, 'real'));
    await writeFile(join(root, 'real', 'a.csv'), '');
    await symlink(join(root, 'real'), join(root, 'alias'));
    expect(await data.resolveExisting('alias/a.csv')).toBe(join(root, 'real', 'a.csv'));
  });

  it('works when the data directory itself is reached through a link', async () => {
    await writeFile(join(root, 'a.csv'), '');
    await symlink(root, join(outside, 'data-link'));
    const linked = new DataDir(join(outside, 'data-link'));
    expect(await linked.resolveExisting('a.csv')).toBe(join(root, 'a.csv'));
  });
});

describe('DataDir.resolveForWriting', () => {
  it('creates the folders of a new file inside', async () => {
    expect(await data.resolveForWriting('out/daily/r.csv')).toBe(
      join(root, 'out', 'daily', 'r.csv'),
    );
    expect(await readdir(join(root, 'out'))).toEqual(['daily']);
  });

  it('creates the data directory itself when it does not exist yet', async () => {
    const fresh = new DataDir(join(root, 'not-yet'));
    expect(await fresh.resolveForWriting('out/r.csv')).toBe(join(root, 'not-yet', 'out', 'r.csv'));
    expect(await readdir(join(root, 'not-yet'))).toEqual(['out']);
  });

  it('refuses .. and absolute paths', async () => {
    await expect(data.resolveForWriting('../r.csv')).rejects.toThrow(
      'leads out of the data directory',
    );
    await expect(data.resolveForWriting(join(outside, 'r.csv'))).rejects.toThrow(
      'must be a path relative',
    );
  });

  it('refuses a linked folder that leads out, without creating anything outside', async () => {
    await symlink(outside, join(root, 'escape'));
    await expect(data.resolveForWriting('escape/new/deeper/r.csv')).rejects.toThrow(
      'through a symbolic link',
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses an existing file that is a link outside, and a dangling link', async () => {
    await writeFile(join(outside, 'target.csv'), 'keep');
    await symlink(join(outside, 'target.csv'), join(root, 'out.csv'));
    await symlink(join(outside, 'not-there.csv'), join(root, 'dangling.csv'));
    await expect(data.resolveForWriting('out.csv')).rejects.toThrow('through a symbolic link');
    await expect(data.resolveForWriting('dangling.csv')).rejects.toThrow(
      "'dangling.csv' is a symbolic link to a file that does not exist.",
    );
  });

  it('accepts a link to a file inside', async () => {
    await writeFile(join(root, 'target.csv'), '');
    await symlink(join(root, 'target.csv'), join(root, 'link.csv'));
    expect(await data.resolveForWriting('link.csv')).toBe(join(root, 'link.csv'));
  });
});
