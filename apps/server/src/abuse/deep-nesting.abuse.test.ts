// Deep nesting: refused with a 400 naming the limit by the body parser,
// before anything recursive reads it; the canonical form is never asked for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';
import { chain, deep, withNesting } from './documents.js';
import { abuseScale } from './scale.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('deeply nested documents', () => {
  const levels = abuseScale([100, 10_000], [65, 100, 1000, 10_000, 100_000]);

  it.each(levels)(
    'answers %i levels of nesting in a config with 400 naming the 64-level limit, on every route',
    async (depth) => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/pipelines',
        headers: t.auth,
        payload: chain(2),
      });
      const id = created.json().id;
      const doc = deep();
      for (const [method, url, payload] of [
        ['POST', '/api/pipelines/validate', doc],
        ['POST', '/api/pipelines', doc],
        ['POST', '/api/pipelines/import', doc],
        ['PUT', `/api/pipelines/${id}`, { pipeline: doc }],
        ['POST', '/api/jobs', { pipeline: doc }],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: { ...t.auth, 'content-type': 'application/json' },
          payload: withNesting(payload, depth),
        });
        expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(res.json().error.message).toMatch(
          /more than 64 levels deep \(at line 1, column \d+\)/,
        );
      }
      expect(t.app.jobs.list()).toEqual([]);
    },
  );

  it('still accepts a config nested a realistic depth', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines',
      headers: t.auth,
      payload: deep(40),
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
  });
});
