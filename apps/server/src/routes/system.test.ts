import { readFileSync } from 'node:fs';
import { describeCatalog } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInLink, TEST_TOKEN, type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const example = JSON.parse(
  readFileSync(new URL('../../../../examples/orders-per-category.json', import.meta.url), 'utf8'),
);

describe('system routes', () => {
  it('answers health without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('refuses the catalog without a token, and with a wrong one', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Basic ${TEST_TOKEN}` },
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/catalog', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('serves the catalog with the token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/catalog', headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((k: { kind: string }) => k.kind)).toContain('window.aggregate');
    // The response schema names every field: nothing of an entry is dropped on the way out.
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(describeCatalog())));
  });

  it("gives the Kafka kinds the server's cluster as their default bootstrap servers", async () => {
    const kafkaDefault = (catalog: { kind: string; defaults: { bootstrapServers?: string } }[]) =>
      catalog.filter((k) => k.kind.endsWith('.kafka')).map((k) => k.defaults.bootstrapServers);
    const plain = await t.app.inject({ method: 'GET', url: '/api/catalog', headers: t.auth });
    expect(kafkaDefault(plain.json())).toEqual(['localhost:9092', 'localhost:9092']);
    const withCluster = await testApp({ kafkaBootstrap: 'broker-1:9093,broker-2:9093' });
    try {
      const res = await withCluster.app.inject({
        method: 'GET',
        url: '/api/catalog',
        headers: withCluster.auth,
      });
      expect(kafkaDefault(res.json())).toEqual([
        'broker-1:9093,broker-2:9093',
        'broker-1:9093,broker-2:9093',
      ]);
    } finally {
      await withCluster.close();
    }
  });

  it('validates a pipeline', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: t.auth,
      payload: example,
    });
    expect(ok.json()).toEqual({ valid: true, diagnostics: [] });
    const broken = { ...example, edges: [] };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: t.auth,
      payload: broken,
    });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().valid).toBe(false);
    expect(bad.json().diagnostics).toContainEqual(
      expect.objectContaining({ code: 'node.input-missing', nodeId: 'big_orders' }),
    );
  });

  it('refuses malformed JSON with the error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: '{"format": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-json');
  });

  it.each(['__proto__', 'constructor'])('refuses JSON with a %s key', async (key) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: `{"format":"sluice.pipeline/v1","${key}":{"prototype":{"x":1}}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-json');
  });

  it('refuses an oversize body with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: `{"name":"${'x'.repeat(6 * 1024 * 1024)}"}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload-too-large');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: t.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not-found');
  });

  it('answers a path parameter past its length limit in the one error shape, without echoing it', async () => {
    const long = 'a'.repeat(600);
    const res = await t.app.inject({ method: 'GET', url: `/api/jobs/${long}`, headers: t.auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'bad-request', message: 'A part of the address is too long.' },
    });
    expect(res.body).not.toContain(long);
  });

  it('signs a browser in by a one-time login link with a session cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: signInLink(t.app) });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = res.cookies.find((c) => c.name === 'sluice_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const withCookie = await t.app.inject({
      method: 'GET',
      url: '/api/catalog',
      cookies: { sluice_session: cookie!.value },
    });
    expect(withCookie.statusCode).toBe(200);
    const wrong = await t.app.inject({ method: 'GET', url: '/login?code=wrong' });
    expect(wrong.headers.location).toBe('/?sign-in=unknown');
  });

  it('leads / to the API documentation while there is no built web app', async () => {
    const empty = await testApp({ webRoot: '/nonexistent' });
    try {
      const res = await empty.app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/docs');
    } finally {
      await empty.close();
    }
  });

  it('serves the OpenAPI description of the whole API at /docs, behind the token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/docs/json', headers: t.auth });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/catalog',
        '/api/pipelines/validate',
        '/api/pipelines',
        '/api/pipelines/{id}',
        '/api/pipelines/{id}/export',
        '/api/pipelines/import',
        '/api/pipelines/{id}/versions',
        '/api/jobs',
        '/api/jobs/{id}',
        '/api/jobs/{id}/stop',
        '/api/jobs/{id}/live',
        '/metrics',
      ]),
    );
    expect(spec.paths['/api/jobs/{id}/live'].get.description).toContain('Client → server');
  });

  it('refuses wrong tokens from an address with 429 after repeated ones; the right token and a signed-in browser keep working', async () => {
    const fresh = await testApp();
    try {
      const login = await fresh.app.inject({ method: 'GET', url: signInLink(fresh.app) });
      const session = login.cookies.find((c) => c.name === 'sluice_session')!.value;
      let last = 0;
      for (let i = 0; i < 25; i++) {
        last = (
          await fresh.app.inject({
            method: 'GET',
            url: '/api/catalog',
            headers: { authorization: 'Bearer guess' },
          })
        ).statusCode;
      }
      expect(last).toBe(429);
      // Any page can make a browser send wrong sign-ins from this address: that
      // must not lock the command line out. The token is too long to guess.
      const right = await fresh.app.inject({
        method: 'GET',
        url: '/api/catalog',
        headers: fresh.auth,
      });
      expect(right.statusCode).toBe(200);
      const browser = await fresh.app.inject({
        method: 'GET',
        url: '/api/catalog',
        cookies: { sluice_session: session },
      });
      expect(browser.statusCode).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
