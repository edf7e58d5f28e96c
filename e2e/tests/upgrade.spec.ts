// An edit of a running window job, deployed keeping its state: the plan shows
// node by node beside the canvas and on the graph itself; after "Deploy
// keeping state" the window open at the upgrade fires with every record of
// its five seconds, before and after the upgrade: no window restarts from zero.
import { join } from 'node:path';
import type { Pipeline, PreviewView } from '@sluice/shared';
import { expect, requireBuiltWebApp, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const NAME = 'Counts per five seconds, upgraded';
/** 100 records a second, 10 ms apart in event time: a five-second window holds 500. */
const PER_WINDOW = 500;

const version1: Pipeline = {
  format: 'sluice.pipeline/v1',
  name: NAME,
  settings: { checkpoints: { interval: '1s' } },
  nodes: [
    {
      id: 'ticks',
      kind: 'source.datagen',
      label: 'Ticks',
      position: { x: 0, y: 0 },
      config: {
        rate: 100,
        fields: [
          { name: 'n', type: 'long', generator: { kind: 'sequence' } },
          {
            name: 'ts',
            type: 'timestamp',
            generator: { kind: 'timestamp', start: '2024-01-01T00:00:00Z', step: '10ms' },
          },
        ],
        eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
      },
    },
    {
      id: 'per_5s',
      kind: 'window.aggregate',
      label: 'Per 5 s',
      position: { x: 520, y: 0 },
      config: {
        window: { type: 'tumbling', size: '5s' },
        aggregates: [{ name: 'records', fn: 'count' }],
      },
    },
    {
      id: 'results',
      kind: 'sink.preview',
      label: 'Results',
      position: { x: 1040, y: 0 },
      config: {},
    },
  ],
  edges: [
    { id: 'e1', source: 'ticks', target: 'per_5s' },
    { id: 'e2', source: 'per_5s', target: 'results' },
  ],
};

/** A filter put in before the window, a computed field after it. */
const version2: Pipeline = {
  ...version1,
  nodes: [
    version1.nodes[0]!,
    {
      id: 'all',
      kind: 'transform.filter',
      label: 'Valid ticks',
      position: { x: 260, y: 0 },
      config: { where: 'n >= 0' },
    },
    version1.nodes[1]!,
    {
      id: 'doubled',
      kind: 'transform.map',
      label: 'Doubled',
      position: { x: 780, y: 0 },
      config: { fields: [{ name: 'double', expr: 'records * 2' }], keepInput: true },
    },
    { ...version1.nodes[2]!, position: { x: 1300, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'ticks', target: 'all' },
    { id: 'e3', source: 'all', target: 'per_5s' },
    { id: 'e4', source: 'per_5s', target: 'doubled' },
    { id: 'e5', source: 'doubled', target: 'results' },
  ],
};

test.use({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });

test('an edit of a running window job, deployed keeping state: the open window carries on', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(90_000);
  requireBuiltWebApp();
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: version1,
  });
  expect(imported.status()).toBe(201);
  const { id: pipelineId, version } = (await imported.json()) as { id: string; version: number };
  const deployed = await request.post('/api/jobs', {
    headers: sluice.auth,
    data: { pipelineId, version },
  });
  expect(deployed.status()).toBe(201);
  const { id: jobId } = (await deployed.json()) as { id: string };
  const saved = await request.put(`/api/pipelines/${pipelineId}`, {
    headers: sluice.auth,
    data: { pipeline: version2, expectedVersion: version },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  // The edited version, on the canvas; the job of the first runs meanwhile.
  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  // Into the window's first five seconds, so it is open when the upgrade comes.
  await expect
    .poll(async () => (await job(request, sluice.auth, jobId)).totals.recordsIn, {
      timeout: 20_000,
    })
    .toBeGreaterThan(150);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();

  const plan = page.getByRole('dialog', { name: /^Deploy version 2 in place of the running job/ });
  await expect(plan).toBeVisible();
  await expect(plan).toContainText('3 kept, 2 new');
  const row = (name: string) => plan.getByRole('listitem').filter({ hasText: name });
  await expect(row('Window aggregate “Per 5 s”')).toContainText('state kept');
  await expect(row('Window aggregate “Per 5 s”')).toContainText(
    'It keeps its open windows and their aggregates, per key.',
  );
  await expect(row('Data generator “Ticks”')).toContainText('reads on');
  await expect(row('Filter “Valid ticks”')).toContainText('new');
  await expect(row('Compute fields “Doubled”')).toContainText('new');
  // On the graph itself: the window outlined in the colour of kept state, tagged.
  const windowNode = page.locator('.react-flow__node[data-id="per_5s"]');
  const tag = await windowNode.evaluate((el) => getComputedStyle(el, '::after').content);
  expect(tag).toBe('"state kept"');
  const outline = await windowNode.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
  await page.screenshot({ path: join(REPO_ROOT, 'docs/images/upgrade-plan.png') });

  await plan.getByRole('button', { name: 'Deploy keeping state' }).click();
  await expect(plan).toHaveCount(0);
  await expect(page.getByText('Live — job running')).toBeVisible();
  await expect(page.getByText(/Restored from savepoint/)).toBeVisible();

  // The same job goes on in version 2, and its windows carry on: the one open
  // at the upgrade fires with all its records, and every one after it too.
  const upgraded = await job(request, sluice.auth, jobId);
  expect(upgraded).toMatchObject({ status: 'running', pipelineVersion: 2 });
  await expect
    .poll(
      async () => (await results(request, sluice.auth, jobId)).filter((r) => 'double' in r).length,
      {
        timeout: 30_000,
      },
    )
    .toBeGreaterThanOrEqual(2);
  const rows = await results(request, sluice.auth, jobId);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.records).toBe(PER_WINDOW);
  for (const r of rows.filter((x) => 'double' in x)) expect(r.double).toBe(2 * PER_WINDOW);

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
});

async function job(
  request: import('@playwright/test').APIRequestContext,
  auth: Record<string, string>,
  id: string,
): Promise<{ status: string; pipelineVersion?: number; totals: { recordsIn: number } }> {
  const response = await request.get(`/api/jobs/${id}`, { headers: auth });
  expect(response.status()).toBe(200);
  return response.json();
}

async function results(
  request: import('@playwright/test').APIRequestContext,
  auth: Record<string, string>,
  id: string,
): Promise<Record<string, unknown>[]> {
  const response = await request.get(`/api/jobs/${id}/preview/results`, { headers: auth });
  expect(response.status()).toBe(200);
  const view = (await response.json()) as PreviewView | null;
  return (view?.rows ?? []) as Record<string, unknown>[];
}
