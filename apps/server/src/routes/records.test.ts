// A running job's flight recorders over HTTP: an edge's latest records,
// filtered by a checked expression (a wrong one refused with what is wrong),
// one key followed over every edge, and nothing once the job has ended.
import type { Follow, RecordPage } from '@sluice/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployExample, type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

it('answers recorded records, filtered and followed, and refuses a filter that does not check', async () => {
  const id = await deployExample(t, 'orders-per-category.json');
  const get = (url: string) => t.app.inject({ url: `/api/jobs/${id}${url}`, headers: t.auth });

  let page: RecordPage | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answer = await get('/edges/e1/records?limit=50');
    if (answer.statusCode !== 200) throw new Error(answer.body);
    page = answer.json();
    if ((page?.kept ?? 0) >= 50) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(page?.records).toHaveLength(50);
  expect(page?.records[0]?.row).toHaveProperty('order_id');
  const seqs = page!.records.map((r) => r.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

  const big = (await get(`/edges/e1/records?where=${encodeURIComponent('amount >= 200')}`)).json();
  expect(big.records.length).toBeGreaterThan(0);
  for (const r of big.records) expect(r.row.amount).toBeGreaterThanOrEqual(200);

  const wrong = await get(`/edges/e1/records?where=${encodeURIComponent("amount > 'ten'")}`);
  expect(wrong.statusCode).toBe(400);
  expect(wrong.json().error.message).toMatch(/amount|ten|compare|number|string/i);

  const category = page!.records[0]!.row.category as string;
  const followed: Follow = (await get(`/follow?field=category&value=${category}`)).json();
  const byEdge = new Map(followed.edges.map((e) => [e.edgeId, e]));
  expect(byEdge.get('e1')?.hasField).toBe(true);
  expect(byEdge.get('e1')?.records.length).toBeGreaterThan(0);
  for (const r of byEdge.get('e1')!.records) expect(r.row.category).toBe(category);

  expect((await get('/edges/nowhere/records')).statusCode).toBe(404);
  await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
  expect((await get('/edges/e1/records')).statusCode).toBe(409);
}, 30_000);
