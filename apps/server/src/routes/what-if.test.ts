// What-if over HTTP: a running job's recorded records replayed through its
// version and an edited one, compared sink by sink; and the same slice saved
// as a test case, which `sluice test` then passes, replay after replay.
import { readFile } from 'node:fs/promises';
import { noDifference, type TestCase, type WhatIfResult } from '@sluice/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCase } from '../cli/test.js';
import { deployExample, type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

it('replays an edit beside the running version, and saves a slice as a case that replays the same', async () => {
  const id = await deployExample(t, 'orders-per-category.json');
  const pipeline = JSON.parse(
    await readFile(
      new URL('../../../../examples/orders-per-category.json', import.meta.url),
      'utf8',
    ),
  );
  // A few seconds of orders: several 2 s windows' worth.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const page = (
      await t.app.inject({ url: `/api/jobs/${id}/edges/e1/records?limit=1`, headers: t.auth })
    ).json();
    if (page.kept >= 800) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const edited = structuredClone(pipeline);
  edited.nodes.find((n: { id: string }) => n.id === 'big_orders').config.where =
    "amount >= 200 AND category <> 'test'";
  const answer = await t.app.inject({
    method: 'POST',
    url: `/api/jobs/${id}/what-if`,
    headers: t.auth,
    payload: { pipeline: edited },
  });
  expect(answer.statusCode).toBe(200);
  const result: WhatIfResult = answer.json();
  expect(result.records.e1).toBeGreaterThanOrEqual(800);
  expect(result.maxOutOfOrderness).toBe('1s');
  const results = result.outputs.find((o) => o.nodeId === 'results')!;
  // Fewer big orders: the same windows with smaller counts.
  expect(results.diff.changed.length).toBeGreaterThan(0);
  for (const { before, after } of results.diff.changed) {
    expect(after.orders as number).toBeLessThan(before.orders as number);
    expect(after.category).toBe(before.category);
    expect(after.window_start).toBe(before.window_start);
  }
  // The same pipeline again: no difference at all.
  const same: WhatIfResult = (
    await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/what-if`,
      headers: t.auth,
      payload: { pipeline },
    })
  ).json();
  const unchanged = same.outputs.find((o) => o.nodeId === 'results')!;
  expect(noDifference(unchanged.diff)).toBe(true);
  expect(unchanged.diff.same).toBe(unchanged.before.total);

  const wrong = await t.app.inject({
    method: 'POST',
    url: `/api/jobs/${id}/what-if`,
    headers: t.auth,
    payload: { pipeline, from: ['nowhere'] },
  });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.json().error.message).toContain("no connection 'nowhere'");

  const saved = await t.app.inject({
    method: 'POST',
    url: `/api/jobs/${id}/test-case`,
    headers: t.auth,
    payload: { name: 'the last minute' },
  });
  expect(saved.statusCode).toBe(200);
  const testCase: TestCase = saved.json();
  expect(testCase.inputs.e1!.length).toBeGreaterThanOrEqual(800);
  expect(testCase.expected.results!.length).toBeGreaterThan(0);
  // Replayed twice more from the file's contents: the same rows each time.
  for (let i = 0; i < 2; i++) {
    const outcome = await runCase(pipeline, JSON.parse(JSON.stringify(testCase)));
    expect('diffs' in outcome && outcome.diffs.every((d) => noDifference(d.diff))).toBe(true);
  }
  await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
}, 60_000);
