// Node ids are the user's text: one named __proto__, constructor or toString
// is just a node, never a key into an object's prototype.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

function pipeline(sinkId: string) {
  return {
    format: 'sluice.pipeline/v1',
    name: `A preview called ${sinkId}`,
    nodes: [
      {
        id: 'orders',
        kind: 'source.datagen',
        config: {
          fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence', start: 1 } }],
          count: 3,
        },
      },
      { id: sinkId, kind: 'sink.preview', config: {} },
    ],
    edges: [{ id: 'e1', source: 'orders', target: sinkId }],
  };
}

describe('node ids that name prototype properties', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    "previews a finished job's sink with the id %s",
    async (sinkId) => {
      const deployed = await t.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: t.auth,
        payload: { pipeline: pipeline(sinkId) },
      });
      expect(deployed.statusCode, deployed.body).toBe(201);
      const id = deployed.json().id;
      await t.app.jobs.get(id).ended;
      const preview = await t.app.inject({
        url: `/api/jobs/${id}/preview/${sinkId}`,
        headers: t.auth,
      });
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json().rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      // A node with no preview answers null, whatever its id.
      const source = await t.app.inject({ url: `/api/jobs/${id}/preview/orders`, headers: t.auth });
      expect(source.body).toBe('null');
    },
  );
});
