import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pipeline } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJob } from '../runtime/job.js';
import type { PreviewView } from './sinks.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-predict-'));
  await mkdir(join(dir, 'models'));
  const lines = [
    { id: 1, amount: 10, hour: 3, merchant: 'a' },
    { id: 2, amount: 900, hour: 2, merchant: 'b' },
    { id: 3, amount: null, hour: 14, merchant: 'c' },
    { id: 4, amount: 40, hour: 23, merchant: 'd' },
  ];
  await writeFile(join(dir, 'tx.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** As scikit-learn exports a fitted LogisticRegression: coef_ of one row, intercept_ of one. */
const FRAUD = {
  type: 'logistic',
  feature_names: ['amount_k', 'hour'],
  coef: [[2.5, -0.1]],
  intercept: [-1.5],
  classes: [0, 1],
};

function pipeline(config: Record<string, unknown>): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Scored',
    nodes: [
      {
        id: 'tx',
        kind: 'source.file',
        config: {
          path: 'tx.jsonl',
          format: 'jsonl',
          schema: [
            { name: 'id', type: 'long' },
            { name: 'amount', type: 'double' },
            { name: 'hour', type: 'long' },
            { name: 'merchant', type: 'string' },
          ],
        },
      },
      { id: 'score', kind: 'transform.predict', config: { model: 'models/fraud.json', ...config } },
      { id: 'out', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'tx', target: 'score' },
      { id: 'e2', source: 'score', target: 'out' },
    ],
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

async function run(model: unknown, config: Record<string, unknown> = {}) {
  await writeFile(
    join(dir, 'models/fraud.json'),
    typeof model === 'string' ? model : JSON.stringify(model),
  );
  const job = startJob(pipeline(config), { dataDir: dir, stdout: () => {} });
  const ended = await job.done;
  return { ended, job };
}

describe('transform.predict', () => {
  it('scores each record with the logistic model, a feature by expression and one by its field, and gives the class', async () => {
    const { ended, job } = await run(FRAUD, {
      features: [{ name: 'amount_k', expr: 'amount / 1000' }],
      threshold: 0.3,
    });
    expect(ended.status).toBe('finished');
    const rows = (job.inspect('out') as PreviewView).rows as Record<string, unknown>[];
    const expected = (amount: number, hour: number) =>
      sigmoid(-1.5 + 2.5 * (amount / 1000) - 0.1 * hour);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 4]);
    expect(rows[0]!.score).toBeCloseTo(expected(10, 3), 12);
    expect(rows[1]!.score).toBeCloseTo(expected(900, 2), 12);
    expect(rows.map((r) => r.predicted)).toEqual([0, 1, 0]);
    // The input's fields go on beside them.
    expect(rows[1]).toMatchObject({ amount: 900, merchant: 'b' });
    // The record whose feature is NULL goes to the errors, saying which.
    const errors = job.errors('score');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.reason).toBe("Feature 'amount_k' is NULL: the model needs a number.");
  });

  it('gives a linear model’s value as the score, and no class', async () => {
    const { ended, job } = await run(
      { type: 'linear', features: ['hour'], coef: [2], intercept: 1 },
      { scoreField: 'expected_minutes' },
    );
    expect(ended.status).toBe('finished');
    const rows = (job.inspect('out') as PreviewView).rows as Record<string, unknown>[];
    expect(rows.map((r) => [r.expected_minutes, r.predicted])).toEqual([
      [7, null],
      [5, null],
      [29, null],
      [47, null],
    ]);
  });

  it('fails the job on its node, saying what is wrong, when the file or a feature cannot be used', async () => {
    const cases: [unknown, Record<string, unknown>, RegExp][] = [
      [
        '{"type": "logistic",',
        {},
        /The model file 'models\/fraud\.json' cannot be used: it is not JSON/,
      ],
      [
        { ...FRAUD, coef: [[1, 2, 3]] },
        {},
        /"coef" has 3 numbers but "feature_names" names 2 features/,
      ],
      [
        FRAUD,
        {},
        /The model's feature 'amount_k' is not a field of the input \(id, amount, hour, merchant\): add it to Features/,
      ],
      [
        { ...FRAUD, feature_names: ['merchant', 'hour'] },
        {},
        /The model's feature 'merchant' is the input field of that name, a string/,
      ],
      [
        FRAUD,
        {
          features: [
            { name: 'amount_k', expr: 'amount' },
            { name: 'age', expr: 'hour' },
          ],
        },
        /Features 'age' are not the model's/,
      ],
    ];
    for (const [model, config, message] of cases) {
      const { ended } = await run(model, config);
      expect(ended.status).toBe('failed');
      expect(ended.failure?.nodeId).toBe('score');
      expect(ended.failure?.message).toMatch(message);
    }
    await rm(join(dir, 'models/fraud.json'));
    const missing = await startJob(pipeline({}), { dataDir: dir }).done;
    expect(missing.failure).toMatchObject({ nodeId: 'score' });
    expect(missing.failure?.message).toMatch(/models\/fraud\.json/);
  });
});
