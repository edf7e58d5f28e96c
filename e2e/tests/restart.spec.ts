// A server restart while a job is watched live, on a server of the test's own:
// the page says "Reconnecting…" while it is away, and when it answers again
// follows what became of the job — resumed from its checkpoint and live again,
// or not started again, or gone — with editing back and nothing more asked
// about a job that ended or is gone (every request the page makes is recorded).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from '@playwright/test';
import {
  expect,
  mintLoginURL,
  requireBuiltWebApp,
  SCREENSHOTS,
  test,
} from '../support/fixtures.js';
import {
  REPO_ROOT,
  type RestartableSluiceServer,
  startRestartableSluiceServer,
} from '../support/sluice-server.js';

interface Sent {
  readonly at: number;
  readonly method: string;
  readonly path: string;
}

let server: RestartableSluiceServer;
test.beforeEach(async () => {
  requireBuiltWebApp();
  server = await startRestartableSluiceServer();
});
test.afterEach(async () => {
  await server.stop();
});

/** Imports the example under `name` with `checkpoints` settings, opens it and deploys it from the canvas. */
async function deployExample(
  page: Page,
  name: string,
  checkpoints: Record<string, unknown>,
): Promise<{ requests: Sent[]; jobId: string }> {
  const example = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8'),
  );
  const imported = await fetch(`${server.baseURL}/api/pipelines/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...example, name, settings: { ...example.settings, checkpoints } }),
  });
  expect(imported.status).toBe(201);
  const requests: Sent[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    requests.push({ at: Date.now(), method: request.method(), path: url.pathname });
  });
  // WebSocket handshakes are not among the page's requests: recorded apart.
  page.on('websocket', (socket) => {
    requests.push({ at: Date.now(), method: 'WS', path: new URL(socket.url()).pathname });
  });
  await page.goto(await mintLoginURL(server));
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Pipelines' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  const live = requests.find((r) => /^\/api\/jobs\/[^/]+\/live$/.test(r.path));
  expect(live, 'the page opened the live socket of its job').toBeDefined();
  const jobId = live!.path.split('/')[3]!;
  // Results arrive below the canvas once the first windows fire, and figures on the
  // steps with the first metrics (sent apart from results, so waited for apart).
  await expect(page.getByRole('table', { name: 'Preview results' })).toBeVisible();
  await expect(page.getByTestId('live-orders')).toContainText(/out \d+/);
  return { requests, jobId };
}

const aboutJob = (requests: readonly Sent[], jobId: string, since: number) =>
  requests.filter((r) => r.at >= since && r.path.startsWith(`/api/jobs/${jobId}`));

test('a graceful restart: the page reconnects by itself, restored from the checkpoint, and Stop works', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const name = 'Orders, through a restart';
  const { requests, jobId } = await deployExample(page, name, { interval: '1s' });
  await expect(page.getByText(/checkpoint (just now|\d+ s ago)/)).toBeVisible();
  const rows = page.getByText(/^\d+ shown of \d+ kept/);
  const keptBefore = Number((await rows.textContent())?.match(/of (\d+) kept/)?.[1]);

  await server.down();
  const away = Date.now();
  await expect(page.getByText('Reconnecting…')).toBeVisible();
  await expect(page.getByText('Live — job running')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'restart-reconnecting.png') });
  // While the server is away the page asks only whether the job is still there: no result polling.
  await page.waitForTimeout(2_000);
  const whileAway = aboutJob(requests, jobId, away);
  expect(whileAway.length).toBeGreaterThan(0);
  expect(new Set(whileAway.map((r) => `${r.method} ${r.path}`))).toEqual(
    new Set([`GET /api/jobs/${jobId}`]),
  );

  await server.up();
  await expect(page.getByText('Live — job running')).toBeVisible({ timeout: 20_000 });
  const restored = page.getByText(/^Restored from checkpoint \d+ after a server restart/);
  await expect(restored).toBeVisible();
  await expect(restored).toHaveAttribute('title', /the server restarted, and it resumed/);
  // The results are followed again: more windows arrive.
  await expect
    .poll(async () => Number((await rows.textContent())?.match(/of (\d+) kept/)?.[1]), {
      timeout: 15_000,
    })
    .toBeGreaterThan(keptBefore);
  await page.screenshot({ path: join(SCREENSHOTS, 'restart-restored.png') });

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
  await expect(page.getByText('Read-only while live')).toHaveCount(0);
  // Final totals on the steps, not their last rates.
  await expect(page.getByTestId('live-per_category')).not.toContainText('/s');
  await expect(page.getByTestId('live-per_category')).toContainText(/in \d+/);
  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeVisible();
});

test('a crash of a job without checkpoints: the page says it was not started again, and asks nothing more', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { requests, jobId } = await deployExample(page, 'Orders, no checkpoints', {
    enabled: false,
  });
  await server.crash();
  await expect(page.getByText('Reconnecting…')).toBeVisible();
  await server.up();
  await expect(page.getByText('Job failed')).toBeVisible({ timeout: 20_000 });
  const ended = Date.now();
  // Said in the live bar (and in the job panel beside the canvas).
  await expect(
    page.getByRole('banner').getByText(/takes no checkpoints, so it was not started again/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0);
  await expect(page.getByText('Read-only while live')).toHaveCount(0);
  // The last figures stay on the canvas and below it.
  await expect(page.getByTestId('live-orders')).toContainText(/out \d+/);
  await expect(page.getByRole('table', { name: 'Preview results' })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'restart-not-started-again.png') });
  // Longer than the polling interval and several retries: nothing is asked about the job.
  await page.waitForTimeout(5_000);
  expect(aboutJob(requests, jobId, ended)).toEqual([]);

  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeVisible();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
});

test('a job the restarted server no longer knows: the page says it is gone, and asks nothing more', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { requests, jobId } = await deployExample(page, 'Orders, forgotten', { interval: '1s' });
  await server.crash();
  // The server comes back on data that no longer holds the job (a restored backup, say).
  const db = new DatabaseSync(join(server.dataDir, 'state', 'sluice.db'));
  db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId);
  db.close();
  await server.up();
  await expect(page.getByText('Job gone')).toBeVisible({ timeout: 20_000 });
  const gone = Date.now();
  await expect(
    page.getByRole('banner').getByText(/The server no longer knows this job/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'restart-job-gone.png') });
  await page.waitForTimeout(5_000);
  expect(aboutJob(requests, jobId, gone)).toEqual([]);
  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeVisible();
});
