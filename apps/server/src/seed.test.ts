import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesDir } from './config.js';
import { EXAMPLES_DIR, FIRST_EXAMPLE, seedExamples } from './seed.js';
import { type TestApp, testApp } from './testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('seeding the examples', () => {
  it('adds every example once, the first one on top, with its data files', () => {
    const examples = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
    expect(seedExamples(t.app.store, t.options.dataDir, filesDir(t.options))).toBe(examples.length);
    const list = t.app.store.list();
    expect(list).toHaveLength(examples.length);
    expect(list[0]?.name).toBe('Orders per category every 2 seconds');
    expect(FIRST_EXAMPLE).toBe('orders-per-category.json');
    expect(existsSync(join(filesDir(t.options), 'orders.jsonl'))).toBe(true);
    expect(seedExamples(t.app.store, t.options.dataDir, filesDir(t.options))).toBe(0);
    expect(t.app.store.list()).toHaveLength(examples.length);
  });

  it('deploys the seeded first example, with no external service', async () => {
    const first = t.app.store.list()[0]!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipelineId: first.id },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    await expect
      .poll(
        async () =>
          (await t.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: t.auth })).json()
            .totals?.recordsIn ?? 0,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/stop`,
      headers: t.auth,
    });
    expect(stop.json().status).toBe('stopped');
  });
});
