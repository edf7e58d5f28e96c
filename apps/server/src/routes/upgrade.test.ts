// Upgrades against the real app, its job workers and a real data directory:
// the plan of an edit of a running job, a deploy that keeps the state
// (savepoint, stop, restore into the new version, start) and one from scratch.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobDetail, UpgradePlan } from '@sluice/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { filesDir } from '../config.js';
import { type TestApp, testApp } from '../testing/app.js';
import { windowedPipeline, writeDurableInput } from '../testing/durable.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(): Promise<TestApp> {
  t = await testApp();
  await writeDurableInput(filesDir(t.options));
  return t;
}

const post = (app: TestApp, url: string, payload?: unknown) =>
  app.app.inject({ method: 'POST', url, headers: app.auth, ...(payload ? { payload } : {}) });

async function deploy(app: TestApp, pipeline: unknown): Promise<string> {
  const res = await post(app, '/api/jobs', { pipeline });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function until(
  app: TestApp,
  id: string,
  condition: (job: JobDetail) => boolean,
  ms = 30_000,
): Promise<JobDetail> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = (await app.app.inject({ url: `/api/jobs/${id}`, headers: app.auth })).json();
    if (condition(job)) return job;
    if (Date.now() > deadline) throw new Error(`Timed out; the job is ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Doc = ReturnType<typeof windowedPipeline>;

/** The windowed pipeline with a filter put in before the window and a computed field after it. */
function edited(base: Doc): Doc {
  return {
    ...base,
    nodes: [
      base.nodes[0]!,
      { id: 'all', kind: 'transform.filter', config: { where: 'n >= 0' } } as never,
      base.nodes[1]!,
      {
        id: 'more',
        kind: 'transform.map',
        config: { fields: [{ name: 'double', expr: 'records * 2' }], keepInput: true },
      } as never,
      base.nodes[2]!,
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'all' },
      { id: 'e3', source: 'all', target: 'win' },
      { id: 'e4', source: 'win', target: 'more' },
      { id: 'e5', source: 'more', target: 'out' },
    ],
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('upgrading a job', () => {
  it('plans an edit of a running job node by node, and keeps its state through the deploy: no window restarts from zero', async () => {
    const app = await start();
    const reference = await deploy(app, windowedPipeline({ out: 'out/reference.jsonl' }));
    await until(app, reference, (j) => j.status === 'finished');
    const expected = lines(
      await readFile(join(filesDir(app.options), 'out/reference.jsonl'), 'utf8'),
    );

    const before = windowedPipeline({ out: 'out/result.jsonl', replayRate: 5_000 });
    const id = await deploy(app, before);
    await until(app, id, (j) => (j.metrics?.checkpoints?.completed ?? 0) >= 2);
    const after = edited(before);

    const planned = await post(app, `/api/jobs/${id}/plan`, { pipeline: after });
    expect(planned.statusCode, planned.body).toBe(200);
    const plan = planned.json() as UpgradePlan;
    expect(plan.nodes.map((n) => [n.id, n.status])).toEqual([
      ['in', 'kept'],
      ['all', 'new'],
      ['win', 'kept'],
      ['more', 'new'],
      ['out', 'kept'],
    ]);
    expect(plan.nodes[0]!.position).toBe('kept');
    expect(plan.dropsState).toBe(false);

    const upgraded = await post(app, `/api/jobs/${id}/upgrade`, {
      pipeline: after,
      keepState: true,
    });
    expect(upgraded.statusCode, upgraded.body).toBe(200);
    expect(upgraded.json()).toMatchObject({ id, status: 'running', plan: { dropsState: false } });
    const done = await until(app, id, (j) => j.status !== 'running');
    expect(done.status).toBe('finished');
    expect(done.restoredFrom?.kind).toBe('savepoint');

    // Every window, the one open at the upgrade too, has all its records: the
    // output is the uninterrupted run's, the rows after the upgrade with the new field.
    const result = lines(await readFile(join(filesDir(app.options), 'out/result.jsonl'), 'utf8'));
    const withNew = result.filter((row) => 'double' in row);
    expect(withNew.length).toBeGreaterThan(0);
    expect(withNew.length).toBeLessThan(result.length);
    for (const row of withNew) expect(row.double).toBe((row.records as number) * 2);
    expect(result.map(({ double: _, ...rest }) => rest)).toEqual(expected);
  }, 90_000);

  it('says what would be dropped, and refuses to plan for a job with no state to keep', async () => {
    const app = await start();
    const before = windowedPipeline({ out: 'out/a.jsonl', replayRate: 2_000 });
    const id = await deploy(app, before);
    await until(app, id, (j) => j.totals.recordsIn > 0);
    const bigger = structuredClone(before);
    (bigger.nodes[1]!.config as { window: { size: string } }).window.size = '10s';
    const plan = (await post(app, `/api/jobs/${id}/plan`, { pipeline: bigger })).json();
    expect(plan.dropsState).toBe(true);
    expect(plan.nodes.find((n: { id: string }) => n.id === 'win')).toMatchObject({
      status: 'dropped',
      field: 'window.size',
    });

    const off = await deploy(
      app,
      windowedPipeline({ out: 'out/b.jsonl', replayRate: 2_000, checkpoints: { enabled: false } }),
    );
    await until(app, off, (j) => j.totals.recordsIn > 0);
    const refused = await post(app, `/api/jobs/${off}/plan`, { pipeline: bigger });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/takes no checkpoints/);
    const keep = await post(app, `/api/jobs/${off}/upgrade`, { pipeline: bigger, keepState: true });
    expect(keep.statusCode).toBe(409);
    // The refused upgrade left the job as it was.
    expect((await until(app, off, () => true)).status).toBe('running');
  }, 60_000);

  it('deploys from scratch: the job is stopped and a new one runs the new version', async () => {
    const app = await start();
    const before = windowedPipeline({ out: 'out/c.jsonl', replayRate: 2_000 });
    const id = await deploy(app, before);
    await until(app, id, (j) => j.totals.recordsIn > 0);
    const res = await post(app, `/api/jobs/${id}/upgrade`, {
      pipeline: edited(before),
      keepState: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    const next = res.json();
    expect(next.id).not.toBe(id);
    expect(next.plan).toBeUndefined();
    expect((await until(app, id, (j) => j.status !== 'running')).status).toBe('stopped');
    const fresh = await until(app, next.id, (j) => j.totals.recordsIn > 0);
    expect(fresh.restoredFrom).toBeUndefined();
  }, 60_000);
});
