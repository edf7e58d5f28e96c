// A node's view over HTTP: the route's response schema (a preview sink's rows
// or a console sink's lines) lets each through whole.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

it("answers a console sink's lines, whole, once the job has ended", async () => {
  const deployed = await t.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: t.auth,
    payload: {
      pipeline: {
        format: 'sluice.pipeline/v1',
        name: 'Five lines',
        nodes: [
          {
            id: 'gen',
            kind: 'source.datagen',
            config: {
              fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence' } }],
              count: 5,
            },
          },
          { id: 'print', kind: 'sink.console', config: {} },
        ],
        edges: [{ id: 'e1', source: 'gen', target: 'print' }],
      },
    },
  });
  expect(deployed.statusCode).toBe(201);
  const { id } = deployed.json();
  const deadline = Date.now() + 20_000;
  let status = 'running';
  while (status === 'running' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await t.app.inject({ url: `/api/jobs/${id}`, headers: t.auth })).json().status;
  }
  expect(status).toBe('finished');
  const view = await t.app.inject({ url: `/api/jobs/${id}/preview/print`, headers: t.auth });
  expect(view.statusCode).toBe(200);
  expect(view.json()).toEqual({
    lines: ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'],
    total: 5,
    omitted: 0,
  });
}, 30_000);
