import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

const PAGE = '<!doctype html><title>Sluice</title><div id="root"></div>';

describe('the web app', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'sluice-web-'));
    await writeFile(join(webRoot, 'index.html'), PAGE);
    t = await testApp({ webRoot });
  });
  afterAll(async () => {
    await t.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves the page at a pipeline’s address, with a job or without, to anyone', async () => {
    for (const url of ['/', '/p/Ab3_x-9', '/p/Ab3_x-9?job=0f6c2d3e-1111-4222-8333-944445555666']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toBe(PAGE);
    }
  });

  it('serves the page for an address naming no pipeline, which the page then says', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/p/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(PAGE);
  });

  it('keeps the API behind the token at the same ids', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/pipelines/Ab3_x-9' });
    expect(res.statusCode).toBe(401);
    const signedIn = await t.app.inject({
      method: 'GET',
      url: '/api/pipelines/Ab3_x-9',
      headers: t.auth,
    });
    expect(signedIn.statusCode).toBe(404);
  });

  it('does not answer other unknown paths with the page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nowhere', headers: t.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not-found');
  });
});
