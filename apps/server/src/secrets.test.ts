import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRETS_FILE, Secrets } from './secrets.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Secrets', () => {
  it('takes the environment first, then the file, and names what neither has', async () => {
    await writeFile(join(dir, SECRETS_FILE), JSON.stringify({ A: 'from-file', B: 'file-b' }));
    const secrets = new Secrets(dir, { SLUICE_SECRET_A: 'from-env', SLUICE_SECRET_EMPTY: '' });
    expect(secrets.resolve(['A', 'B', 'C', 'EMPTY', 'A'])).toEqual({
      values: { A: 'from-env', B: 'file-b' },
      missing: ['C', 'EMPTY'],
    });
  });

  it('without a file, has the environment’s only', () => {
    expect(new Secrets(dir, { SLUICE_SECRET_X: 'x' }).resolve(['X', 'Y'])).toEqual({
      values: { X: 'x' },
      missing: ['Y'],
    });
  });

  it('says a file is not an object of texts without repeating what is in it', async () => {
    await writeFile(join(dir, SECRETS_FILE), '{"A": "hunter2",');
    const found = new Secrets(dir, {}).resolve(['A']);
    expect(found.missing).toEqual(['A']);
    expect(found.problem).toMatch(/state\/secrets\.json is not a JSON object of names and texts/);
    expect(found.problem).not.toContain('hunter2');
  });

  it('reads the file again at each resolve, so a secret added needs no restart', async () => {
    const secrets = new Secrets(dir, {});
    expect(secrets.resolve(['A']).missing).toEqual(['A']);
    await writeFile(join(dir, SECRETS_FILE), JSON.stringify({ A: 'now' }));
    expect(secrets.resolve(['A']).values).toEqual({ A: 'now' });
  });

  it('takes only the file’s own texts: not a prototype’s, not numbers', async () => {
    await writeFile(join(dir, SECRETS_FILE), JSON.stringify({ N: 5 }));
    expect(new Secrets(dir, {}).resolve(['N', 'toString', 'constructor'])).toEqual({
      values: {},
      missing: ['N', 'toString', 'constructor'],
    });
  });
});
