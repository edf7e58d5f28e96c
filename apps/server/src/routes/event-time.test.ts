// A node's event-time view over HTTP, asked of a running job's worker: the
// route's schema lets the whole view through, and an ended job is refused.
import type { EventTimeView } from '@sluice/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployExample, type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

it("answers why a running window's event time stands where it does, and refuses once the job ended", async () => {
  const id = await deployExample(t, 'orders-per-category.json');
  const url = `/api/jobs/${id}/nodes/per_category/event-time`;

  // The generator runs at 200 a second with 1 s of disorder: a watermark and
  // open windows come within a few seconds.
  let view: EventTimeView | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answer = await t.app.inject({ url, headers: t.auth });
    expect(answer.statusCode).toBe(200);
    view = answer.json();
    if (view?.watermark != null && (view.pending?.total ?? 0) > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(view).toMatchObject({
    nodeId: 'per_category',
    inputs: [{ edgeId: 'e2', from: 'big_orders', holding: true, ended: false }],
    pending: { kind: 'window', time: 'event' },
    heldBy: { nodeId: 'orders' },
    late: { total: expect.any(Number) },
  });
  const first = view?.pending?.earliest[0];
  expect(first?.end).toBe((first?.start ?? 0) + 2000);
  expect(first?.firesAt).toBeGreaterThan(view?.watermark ?? Number.POSITIVE_INFINITY);

  const unknown = await t.app.inject({
    url: `/api/jobs/${id}/nodes/nowhere/event-time`,
    headers: t.auth,
  });
  expect(unknown.statusCode).toBe(404);

  await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
  const ended = await t.app.inject({ url, headers: t.auth });
  expect(ended.statusCode).toBe(409);
  expect(ended.json().error.message).toContain('event time no longer moves');
}, 30_000);
