import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pipeline } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preflight } from './preflight.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-preflight-'));
  await mkdir(join(dir, 'models'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const scored = (model: string): Pipeline => ({
  format: 'sluice.pipeline/v1',
  name: 'Scored',
  nodes: [
    { id: 'gen', kind: 'source.datagen', config: { fields: [] } },
    { id: 'score', kind: 'transform.predict', config: { model } },
  ],
  edges: [{ id: 'e', source: 'gen', target: 'score' }],
});

describe('preflight of a model file', () => {
  it('refuses a missing or malformed model on its node, and passes a good one', async () => {
    const found = await preflight(scored('models/none.json'), {
      dataDir: dir,
      dataDirShownAs: 'files',
    });
    expect(found).toMatchObject([
      { severity: 'error', code: 'model-unusable', nodeId: 'score', path: 'nodes[1].config.model' },
    ]);
    expect(found[0]!.message).toMatch(
      /^The model file cannot be read: .*files\/models\/none\.json/,
    );

    await writeFile(join(dir, 'models/bad.json'), JSON.stringify({ type: 'tree' }));
    const bad = await preflight(scored('models/bad.json'), { dataDir: dir });
    expect(bad[0]!.message).toBe(
      'The model file cannot be used: "type" must be "linear" or "logistic", not "tree".',
    );

    await writeFile(
      join(dir, 'models/good.json'),
      JSON.stringify({ type: 'linear', feature_names: ['x'], coef: [1], intercept: 0 }),
    );
    expect(await preflight(scored('models/good.json'), { dataDir: dir })).toEqual([]);
  });
});
