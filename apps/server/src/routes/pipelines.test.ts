import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { exportFileName, exportPipeline, type Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, readFileSync(new URL(f, examplesDir), 'utf8')] as const);
const orders = JSON.parse(
  readFileSync(new URL('orders-per-category.json', examplesDir), 'utf8'),
) as Pipeline;
const payments = JSON.parse(
  readFileSync(new URL('payments-join.json', examplesDir), 'utf8'),
) as Pipeline;
const UNKNOWN = 'AAAAAAAAAAAAAA';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, payload?: unknown, app = t) =>
  app.app.inject({
    method,
    url,
    headers: app.auth,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const rawJson = (method: Method, url: string, text: string) =>
  t.app.inject({
    method,
    url,
    headers: { ...t.auth, 'content-type': 'application/json' },
    payload: text,
  });

async function create(doc: unknown = orders): Promise<string> {
  const res = await call('POST', '/api/pipelines', doc);
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

describe('pipeline routes', () => {
  it('creates a pipeline: 201 with a server id, version 1, the canonical pipeline and diagnostics', async () => {
    const res = await call('POST', '/api/pipelines', orders);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ id: expect.stringMatching(/^[A-Za-z0-9_-]+$/), version: 1 });
    expect(body.diagnostics).toEqual([]);
    expect(exportPipeline(body.pipeline)).toBe(exportPipeline(orders));
    expect(Date.parse(body.createdAt)).not.toBeNaN();
  });

  it('stores a draft with graph errors and returns its diagnostics', async () => {
    const res = await call('POST', '/api/pipelines', { ...orders, name: 'Draft', edges: [] });
    expect(res.statusCode).toBe(201);
    expect(res.json().diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'node.input-missing',
        nodeId: 'big_orders',
      }),
    );
    const summary = (await call('GET', '/api/pipelines'))
      .json()
      .find((s: { id: string }) => s.id === res.json().id);
    expect(summary).toMatchObject({ name: 'Draft', version: 1, valid: false });
    expect(summary.errors).toBeGreaterThan(0);
  });

  it.each([
    ['a wrong format', { ...orders, format: 'something/v9' }],
    ['no format', { name: 'x', nodes: [], edges: [] }],
    ['an array', [orders]],
    ['a string', 'pipeline'],
    ['a reserved key', { ...orders, nodes: [{ ...orders.nodes[0], constructor: 'x' }] }],
  ])('refuses %s with invalid-pipeline and the diagnostics', async (_, doc) => {
    for (const url of ['/api/pipelines', '/api/pipelines/import']) {
      const res = await rawJson('POST', url, JSON.stringify(doc));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid-pipeline');
      expect(res.json().error.details).toContainEqual(
        expect.objectContaining({ severity: 'error', code: expect.stringMatching(/^format\./) }),
      );
    }
  });

  it('refuses malformed JSON on every route with a body', async () => {
    const id = await create();
    for (const [method, url] of [
      ['POST', '/api/pipelines'],
      ['POST', '/api/pipelines/import'],
      ['PUT', `/api/pipelines/${id}`],
    ] as const) {
      const res = await rawJson(method, url, '{"format": ');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid-json');
    }
  });

  it('lists summaries, most recently saved first', async () => {
    const first = await create(orders);
    const second = await create(payments);
    const res = await call('GET', '/api/pipelines');
    expect(res.statusCode).toBe(200);
    const list = res.json() as { id: string }[];
    const ids = list.map((s) => s.id);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
    expect(list.find((s) => s.id === second)).toEqual({
      id: second,
      name: payments.name,
      description: payments.description,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      valid: true,
      errors: 0,
      warnings: 0,
    });
  });

  it('reads a pipeline, and answers 404 for an unknown id on every route', async () => {
    const id = await create();
    const res = await call('GET', `/api/pipelines/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      version: 1,
      diagnostics: [],
      pipeline: { name: orders.name },
    });
    for (const [method, url, payload] of [
      ['GET', `/api/pipelines/${UNKNOWN}`],
      ['PUT', `/api/pipelines/${UNKNOWN}`, { pipeline: orders }],
      ['DELETE', `/api/pipelines/${UNKNOWN}`],
      ['GET', `/api/pipelines/${UNKNOWN}/export`],
      ['GET', `/api/pipelines/${UNKNOWN}/versions`],
      ['GET', `/api/pipelines/${UNKNOWN}/versions/1`],
      ['POST', `/api/pipelines/${UNKNOWN}/versions/1/restore`],
      ['GET', `/api/pipelines/${id}/versions/7`],
      ['POST', `/api/pipelines/${id}/versions/7/restore`],
      ['GET', `/api/pipelines/${id}/export?version=7`],
    ] as const) {
      const res = await call(method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not-found');
    }
  });

  it('refuses malformed ids and versions with bad-request', async () => {
    for (const url of [
      '/api/pipelines/a.b',
      '/api/pipelines/x/versions/0',
      '/api/pipelines/x/versions/one',
    ]) {
      const res = await call('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('bad-request');
    }
  });

  it('saves a new version with PUT {pipeline, expectedVersion}', async () => {
    const id = await create();
    const res = await call('PUT', `/api/pipelines/${id}`, {
      pipeline: { ...orders, name: 'Renamed' },
      expectedVersion: 1,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      version: 2,
      pipeline: { name: 'Renamed' },
      diagnostics: [],
    });
    const unconditional = await call('PUT', `/api/pipelines/${id}`, { pipeline: orders });
    expect(unconditional.json().version).toBe(3);
  });

  it('refuses a stale expectedVersion with 409 and keeps the other save', async () => {
    const id = await create();
    await call('PUT', `/api/pipelines/${id}`, { pipeline: payments, expectedVersion: 1 });
    const res = await call('PUT', `/api/pipelines/${id}`, { pipeline: orders, expectedVersion: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'conflict', details: { currentVersion: 2 } });
    expect((await call('GET', `/api/pipelines/${id}`)).json().pipeline.name).toBe(payments.name);
  });

  it('refuses a PUT whose body is a bare document or whose pipeline is not a pipeline', async () => {
    const id = await create();
    const bare = await call('PUT', `/api/pipelines/${id}`, orders);
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('bad-request');
    const notPipeline = await call('PUT', `/api/pipelines/${id}`, { pipeline: { format: 'x' } });
    expect(notPipeline.statusCode).toBe(400);
    expect(notPipeline.json().error.code).toBe('invalid-pipeline');
    expect(notPipeline.json().error.details.length).toBeGreaterThan(0);
    expect((await call('GET', `/api/pipelines/${id}`)).json().version).toBe(1);
  });

  it('deletes a pipeline with 204, then it is gone with its versions', async () => {
    const id = await create();
    const res = await call('DELETE', `/api/pipelines/${id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await call('GET', `/api/pipelines/${id}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/pipelines/${id}/versions`)).statusCode).toBe(404);
    const ids = (await call('GET', '/api/pipelines')).json().map((s: { id: string }) => s.id);
    expect(ids).not.toContain(id);
  });

  it.each(examples)(
    'exports %s byte-identical to exportPipeline, and re-import exports the same',
    async (_, text) => {
      const id = await create(JSON.parse(text));
      const res = await call('GET', `/api/pipelines/${id}/export`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const expectedName = exportFileName(JSON.parse(text).name);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${expectedName}"`);
      expect(res.body).toBe(exportPipeline(JSON.parse(text)));

      const imported = await rawJson('POST', '/api/pipelines/import', res.body);
      expect(imported.statusCode).toBe(201);
      expect(imported.json()).toMatchObject({ version: 1, migrations: [] });
      expect(imported.json().id).not.toBe(id);
      const again = await call('GET', `/api/pipelines/${imported.json().id}/export`);
      expect(again.body).toBe(res.body);
    },
  );

  it('exports an older version with ?version=n', async () => {
    const id = await create(orders);
    await call('PUT', `/api/pipelines/${id}`, { pipeline: payments });
    const res = await call('GET', `/api/pipelines/${id}/export?version=1`);
    expect(res.body).toBe(exportPipeline(orders));
  });

  it('lists versions newest first, reads one, and restores it as a new version', async () => {
    const id = await create(orders);
    await call('PUT', `/api/pipelines/${id}`, { pipeline: { ...payments, edges: [] } });
    const versions = await call('GET', `/api/pipelines/${id}/versions`);
    expect(versions.statusCode).toBe(200);
    expect(versions.json()).toEqual([
      expect.objectContaining({
        version: 2,
        name: payments.name,
        valid: false,
        origin: 'save',
        baseVersion: 1,
        summary: expect.stringMatching(/^Added \d+ nodes; .*; renamed to “Orders paid/),
      }),
      {
        version: 1,
        name: orders.name,
        createdAt: expect.any(String),
        valid: true,
        origin: 'create',
        summary: 'Created',
        saves: 1,
      },
    ]);
    const one = await call('GET', `/api/pipelines/${id}/versions/1`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id, version: 1, diagnostics: [] });
    expect(exportPipeline(one.json().pipeline)).toBe(exportPipeline(orders));

    const restored = await call('POST', `/api/pipelines/${id}/versions/1/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ id, version: 3, diagnostics: [] });
    expect(exportPipeline(restored.json().pipeline)).toBe(exportPipeline(orders));
    expect((await call('GET', `/api/pipelines/${id}`)).json().version).toBe(3);
    expect((await call('GET', `/api/pipelines/${id}/versions`)).json()[0]).toMatchObject({
      version: 3,
      origin: 'restore',
      summary: expect.stringMatching(/^Restored version 1: added \d+ nodes/),
    });
  });

  it('names a version with PATCH {label}, and takes the name away with null', async () => {
    const id = await create(orders);
    const named = await call('PATCH', `/api/pipelines/${id}/versions/1`, {
      label: '  Before the launch ',
    });
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json()).toMatchObject({ version: 1, label: 'Before the launch' });
    const unnamed = await call('PATCH', `/api/pipelines/${id}/versions/1`, { label: null });
    expect(unnamed.json()).not.toHaveProperty('label');
    const missing = await call('PATCH', `/api/pipelines/${id}/versions/4`, { label: 'x' });
    expect(missing.statusCode).toBe(404);
    const bad = await call('PATCH', `/api/pipelines/${id}/versions/1`, { label: { text: 7 } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses every pipeline route without the token or with a wrong one', async () => {
    const id = await create();
    const routes = [
      ['GET', '/api/pipelines'],
      ['POST', '/api/pipelines'],
      ['POST', '/api/pipelines/import'],
      ['GET', `/api/pipelines/${id}`],
      ['PUT', `/api/pipelines/${id}`],
      ['DELETE', `/api/pipelines/${id}`],
      ['GET', `/api/pipelines/${id}/export`],
      ['GET', `/api/pipelines/${id}/versions`],
      ['GET', `/api/pipelines/${id}/versions/1`],
      ['POST', `/api/pipelines/${id}/versions/1/restore`],
      ['PATCH', `/api/pipelines/${id}/versions/1`],
    ] as const;
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
        const res = await t.app.inject({ method, url, headers, payload: orders });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
      }
    }
    const after = (await call('GET', `/api/pipelines/${id}`)).json();
    expect(after.version).toBe(1);
  });

  it('describes every pipeline route in the OpenAPI spec', async () => {
    const spec = (await call('GET', '/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/pipelines',
        '/api/pipelines/import',
        '/api/pipelines/{id}',
        '/api/pipelines/{id}/export',
        '/api/pipelines/{id}/versions',
        '/api/pipelines/{id}/versions/{version}',
        '/api/pipelines/{id}/versions/{version}/restore',
      ]),
    );
    expect(spec.paths['/api/pipelines/{id}'].put.tags).toEqual(['pipelines']);
  });
});

describe('pipelines across a restart', () => {
  it('keeps pipelines and versions when the app is closed and built again on the same data dir', async () => {
    const first = await testApp();
    const dataDir = first.options.dataDir;
    const id = await (async () => {
      const res = await call('POST', '/api/pipelines', orders, first);
      await call('PUT', `/api/pipelines/${res.json().id}`, { pipeline: payments }, first);
      return res.json().id as string;
    })();
    const before = (await call('GET', `/api/pipelines/${id}/export`, undefined, first)).body;
    await first.app.close();

    const second = await testApp({ dataDir });
    try {
      const got = await call('GET', `/api/pipelines/${id}`, undefined, second);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({ id, version: 2, pipeline: { name: payments.name } });
      const versions = (
        await call('GET', `/api/pipelines/${id}/versions`, undefined, second)
      ).json();
      expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect((await call('GET', `/api/pipelines/${id}/export`, undefined, second)).body).toBe(
        before,
      );
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
