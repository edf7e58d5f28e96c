import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesDir } from '../config.js';
import { type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** Generated orders → big ones → a preview; bounded by `count`, or unbounded at `rate`. */
function ordersPipeline(source: { count?: number; rate?: number }) {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Big orders',
    nodes: [
      {
        id: 'orders',
        kind: 'source.datagen',
        config: {
          fields: [
            { name: 'order_id', type: 'long', generator: { kind: 'sequence', start: 1 } },
            { name: 'amount', type: 'double', generator: { kind: 'random', min: 1, max: 100 } },
          ],
          seed: 7,
          ...source,
        },
      },
      { id: 'big', kind: 'transform.filter', config: { where: 'amount >= 50' } },
      { id: 'results', kind: 'sink.preview', config: { capacity: 50 } },
    ],
    edges: [
      { id: 'e1', source: 'orders', target: 'big' },
      { id: 'e2', source: 'big', target: 'results' },
    ],
  };
}

async function deploy(pipeline: unknown): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/jobs',
    headers: t.auth,
    payload: { pipeline },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toEqual({ id: expect.any(String), status: 'running' });
  return res.json().id;
}

async function job(id: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: t.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('job routes', () => {
  it('runs a bounded pipeline to the end and reports its status and totals', async () => {
    const id = await deploy(ordersPipeline({ count: 1000 }));
    const done = await until(
      () => job(id),
      (j) => j.status !== 'running',
    );
    expect(done).toMatchObject({
      id,
      name: 'Big orders',
      status: 'finished',
      endedAt: expect.any(Number),
    });
    expect(done.totals.recordsIn).toBe(1000);
    expect(done.totals.recordsOut).toBeGreaterThan(0);
    expect(done.totals.recordsOut).toBeLessThan(1000);
    expect(done.metrics.operators.map((o: { nodeId: string }) => o.nodeId).sort()).toEqual([
      'big',
      'orders',
      'results',
    ]);
    const list = await t.app.inject({ method: 'GET', url: '/api/jobs', headers: t.auth });
    expect(list.json()).toContainEqual(
      expect.objectContaining({ id, status: 'finished', totals: done.totals }),
    );
    // Stopping a finished job is fine: it answers with how it ended.
    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/stop`,
      headers: t.auth,
    });
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toMatchObject({ id, status: 'finished' });
  });

  it('deploys a stored pipeline by id, at its current or a given version', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines',
      headers: t.auth,
      payload: ordersPipeline({ count: 20 }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const pipelineId: string = created.json().id;
    for (const payload of [{ pipelineId }, { pipelineId, version: 1 }]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: t.auth,
        payload,
      });
      expect(res.statusCode, res.body).toBe(201);
      const done = await until(
        () => job(res.json().id),
        (j) => j.status !== 'running',
      );
      expect(done).toMatchObject({
        pipelineId,
        pipelineVersion: 1,
        name: 'Big orders',
        status: 'finished',
      });
      expect(done.totals.recordsIn).toBe(20);
    }
    const noVersion = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipelineId, version: 9 },
    });
    expect(noVersion.statusCode).toBe(404);
    expect(noVersion.json().error.code).toBe('not-found');
  });

  it('refuses to delete a pipeline while a job deployed from it runs, and deletes it once stopped', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines',
      headers: t.auth,
      payload: ordersPipeline({ rate: 100 }),
    });
    const pipelineId: string = created.json().id;
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipelineId },
    });
    expect(started.statusCode, started.body).toBe(201);
    const jobId: string = started.json().id;
    const remove = () =>
      t.app.inject({ method: 'DELETE', url: `/api/pipelines/${pipelineId}`, headers: t.auth });
    const refused = await remove();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(jobId),
    });
    const kept = await t.app.inject({
      method: 'GET',
      url: `/api/pipelines/${pipelineId}`,
      headers: t.auth,
    });
    expect(kept.statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: `/api/jobs/${jobId}/stop`, headers: t.auth });
    expect((await remove()).statusCode).toBe(204);
  });

  it('refuses to deploy a stored draft that has errors, with its diagnostics', async () => {
    const draft = { ...ordersPipeline({ count: 20 }), edges: [] };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines',
      headers: t.auth,
      payload: draft,
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipelineId: created.json().id },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-pipeline');
    expect(res.json().error.details).toContainEqual(
      expect.objectContaining({ code: 'node.input-missing' }),
    );
  });

  it('refuses an invalid pipeline with 400 and the diagnostics', async () => {
    const broken = { ...ordersPipeline({ count: 10 }), edges: [] };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipeline: broken },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid-pipeline');
    expect(res.json().error.details).toContainEqual(
      expect.objectContaining({ code: 'node.input-missing', nodeId: 'big' }),
    );
  });

  it('refuses a body with neither or both of pipelineId and pipeline', async () => {
    for (const payload of [
      {},
      { pipelineId: 'p', pipeline: ordersPipeline({ count: 1 }) },
      { pipeline: ordersPipeline({ count: 1 }), version: 2 },
      { pipeline: 'text' },
      { pipelineId: 'p', version: 0 },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: t.auth,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('bad-request');
    }
  });

  it('answers 404 for unknown jobs, pipelines and nodes', async () => {
    for (const [method, url] of [
      ['GET', '/api/jobs/nope'],
      ['POST', '/api/jobs/nope/stop'],
      ['GET', '/api/jobs/nope/errors'],
      ['GET', '/api/jobs/nope/preview/results'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: t.auth });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not-found');
    }
    const unknownPipeline = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipelineId: 'nope' },
    });
    expect(unknownPipeline.statusCode).toBe(404);
    const id = await deploy(ordersPipeline({ count: 10 }));
    const unknownNode = await t.app.inject({
      method: 'GET',
      url: `/api/jobs/${id}/preview/nope`,
      headers: t.auth,
    });
    expect(unknownNode.statusCode).toBe(404);
  });

  it('refuses every job route without the token', async () => {
    for (const [method, url] of [
      ['GET', '/api/jobs'],
      ['POST', '/api/jobs'],
      ['GET', '/api/jobs/x'],
      ['POST', '/api/jobs/x/stop'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('stops a running unbounded job', async () => {
    const id = await deploy(ordersPipeline({ rate: 500 }));
    await until(
      () => job(id),
      (j) => j.totals.recordsIn > 0,
    );
    expect((await job(id)).status).toBe('running');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/stop`,
      headers: t.auth,
      payload: { drain: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'stopped', endedAt: expect.any(Number) });
    expect(res.json().failure).toBeUndefined();
    expect((await job(id)).status).toBe('stopped');
  });

  it('drains a running job when asked, so it ends as finished', async () => {
    const id = await deploy(ordersPipeline({ rate: 500 }));
    await until(
      () => job(id),
      (j) => j.totals.recordsIn > 0,
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/stop`,
      headers: t.auth,
      payload: { drain: true },
    });
    expect(res.json()).toMatchObject({ id, status: 'finished' });
  });

  it('shows bad records with their reason, of all nodes or one', async () => {
    const lines = [
      '{"order_id":"a","amount":10}',
      'not json at all',
      '{"order_id":"b","amount":20}',
    ];
    await writeFile(join(filesDir(t.options), 'orders.jsonl'), `${lines.join('\n')}\n`);
    const id = await deploy({
      format: 'sluice.pipeline/v1',
      name: 'Orders from a file',
      nodes: [
        {
          id: 'orders',
          kind: 'source.file',
          config: {
            path: 'orders.jsonl',
            format: 'jsonl',
            schema: [
              { name: 'order_id', type: 'string' },
              { name: 'amount', type: 'double' },
            ],
          },
        },
        { id: 'results', kind: 'sink.preview', config: {} },
      ],
      edges: [{ id: 'e1', source: 'orders', target: 'results' }],
    });
    const done = await until(
      () => job(id),
      (j) => j.status !== 'running',
    );
    expect(done.status).toBe('finished');
    expect(done.totals.errors).toBe(1);
    const errors = await t.app.inject({
      method: 'GET',
      url: `/api/jobs/${id}/errors`,
      headers: t.auth,
    });
    expect(errors.statusCode).toBe(200);
    expect(errors.json()).toEqual([
      {
        nodeId: 'orders',
        reason: expect.stringMatching(/JSON/i),
        row: expect.anything(),
        at: expect.any(Number),
      },
    ]);
    const ofOther = await t.app.inject({
      method: 'GET',
      url: `/api/jobs/${id}/errors?nodeId=results`,
      headers: t.auth,
    });
    expect(ofOther.json()).toEqual([]);
    const preview = await t.app.inject({
      method: 'GET',
      url: `/api/jobs/${id}/preview/results`,
      headers: t.auth,
    });
    expect(preview.json().rows).toEqual([
      { order_id: 'a', amount: 10 },
      { order_id: 'b', amount: 20 },
    ]);
  });

  it("previews a running job's sink through its worker, and null for a node without a preview", async () => {
    const id = await deploy(ordersPipeline({ rate: 500 }));
    const preview = await until(
      async () =>
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/jobs/${id}/preview/results`,
            headers: t.auth,
          })
        ).json(),
      (p) => p.total > 0,
    );
    expect(preview.fields).toEqual([
      { name: 'order_id', type: 'long' },
      { name: 'amount', type: 'double' },
    ]);
    expect(preview.rows.length).toBeGreaterThan(0);
    expect(preview.rows.every((r: { amount: number }) => r.amount >= 50)).toBe(true);
    expect(preview.times).toHaveLength(preview.rows.length);
    const none = await t.app.inject({
      method: 'GET',
      url: `/api/jobs/${id}/preview/big`,
      headers: t.auth,
    });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toBeNull();
    await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
  });

  it('refuses to deploy a file source whose file is not there, naming the node, and says so before deploying', async () => {
    const pipeline = {
      format: 'sluice.pipeline/v1',
      name: 'Missing file',
      nodes: [
        {
          id: 'orders',
          kind: 'source.file',
          config: {
            path: 'nowhere.jsonl',
            format: 'jsonl',
            schema: [{ name: 'a', type: 'string' }],
          },
        },
        { id: 'results', kind: 'sink.preview', config: {} },
      ],
      edges: [{ id: 'e1', source: 'orders', target: 'results' }],
    };
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/jobs', headers: t.auth })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipeline },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(
      /^The pipeline cannot run: The file cannot be read: .*nowhere\.jsonl.* \(node 'orders'\)$/,
    );
    const after = (await t.app.inject({ method: 'GET', url: '/api/jobs', headers: t.auth })).json();
    expect(after).toHaveLength(before.length);
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/preflight',
      headers: t.auth,
      payload: pipeline,
    });
    expect(check.json()).toMatchObject({
      ready: false,
      diagnostics: [
        {
          severity: 'error',
          code: 'file-unreadable',
          nodeId: 'orders',
          path: 'nodes[0].config.path',
        },
      ],
    });
    await writeFile(join(filesDir(t.options), 'nowhere.jsonl'), '{"a":"x"}\n');
    const ready = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/preflight',
      headers: t.auth,
      payload: pipeline,
    });
    expect(ready.json()).toEqual({ ready: true, diagnostics: [] });
  });
});
