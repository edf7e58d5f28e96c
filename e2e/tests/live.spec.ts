// Debugging a running job from the canvas: deploy the seeded example, watch
// its rates and results arrive, look at the records on a connection, stop it;
// then run a pipeline whose expression fails on every record and find the
// bad records, with the reason, on the step, while the job keeps running.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const EXAMPLE = 'Orders per category every 2 seconds';
const FAILING = 'Orders with a failing cast';
/**
 * The example's windows are 2 s of event time, 1 s out of order, at 200 records/s from the
 * job's start: the first fires within about 3 s of the deploy (the wait below leaves room).
 */
const FIRST_WINDOW_MS = 8_000;
const WINDOW_MS = 2_000;

test('deploy, watch, inspect, stop, and find the bad records of a failing step', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  // The failing pipeline: the example's generator, then a cast no category survives.
  const example = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8'),
  );
  const failing = {
    format: example.format,
    name: FAILING,
    nodes: [
      example.nodes.find((n: { id: string }) => n.id === 'orders'),
      {
        id: 'as_number',
        kind: 'transform.map',
        label: 'Category as a number',
        position: { x: 300, y: 0 },
        config: {
          fields: [{ name: 'category_value', expr: 'CAST(category AS DOUBLE)' }],
          keepInput: true,
        },
      },
      {
        id: 'results',
        kind: 'sink.preview',
        label: 'Results',
        position: { x: 600, y: 0 },
        config: {},
      },
    ],
    edges: [
      { id: 'e1', source: 'orders', target: 'as_number' },
      { id: 'e2', source: 'as_number', target: 'results' },
    ],
  };
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: failing,
  });
  expect(imported.status()).toBe(201);

  await page.goto(sluice.loginURL);
  await openPipeline(page, EXAMPLE);

  // Deploy: the canvas turns into the job's read-only live view.
  const deploy = page.getByRole('button', { name: 'Deploy' });
  await expect(deploy).toBeEnabled();
  await deploy.click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  await expect(page.getByText('Read-only while live')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Operators' })).toHaveCount(0);

  // Rates on the steps and on the connections, once a second.
  await expect(page.getByTestId('live-orders')).toContainText(/out [1-9]/);
  await expect(page.getByTestId('live-big_orders')).toContainText(/in [1-9]/);
  await expect(page.getByTestId('live-orders')).toContainText(/lag /);
  await expect(page.getByTestId('live-per_category')).toContainText(/open window/);
  await expect(page.getByTestId('edge-rate-e1')).toHaveText(/^[1-9]/);

  // The records on a connection, in the columns of its schema.
  await page.getByTestId('edge-rate-e2').click();
  const inspector = page.getByRole('complementary', { name: 'Live inspector' });
  const sampled = inspector.getByRole('table', {
    name: 'Records from Big orders to Per category, 2 s',
  });
  await expect(sampled.locator('tbody tr').first()).toBeVisible();
  await expect(sampled.locator('thead')).toContainText('category');
  await expect(sampled.locator('thead')).toContainText('amount');

  // Windows fire: the preview fills, and the chart beside it draws a line per category.
  const results = page.getByRole('region', { name: 'Results' });
  const rows = results.getByRole('table', { name: 'Preview results' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: FIRST_WINDOW_MS });
  // A second window (the first is partial: the job starts mid-window), so the chart has a line.
  await expect(rows.nth(4)).toBeVisible({ timeout: WINDOW_MS + 5_000 });
  await expect(results.getByRole('img', { name: /orders over window_end/ })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'live-view.png') });

  // Stop: the job ends, and the canvas can be edited again.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
  // The connection chosen before says what passed in all: no rate, no Pause for records that no longer come.
  await expect(inspector.getByText(/records in all$/)).toBeVisible();
  await expect(inspector.getByText(/records so far/)).toHaveCount(0);
  await expect(inspector.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(sampled.locator('tbody tr').first()).toBeVisible();
  await expect(results.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeEnabled();

  // The jobs list has it, with its version and totals.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  const jobs = page.getByRole('dialog', { name: 'Jobs' }).getByRole('table', { name: 'Jobs' });
  // Other tests stop jobs of the example too: this one is the newest, so listed first.
  await expect(
    jobs.getByRole('row', { name: new RegExp(`${EXAMPLE}.*stopped`) }).first(),
  ).toBeVisible();
  await page.keyboard.press('Escape');

  // A step that fails every record: counted and shown with the reason, the job runs on.
  await openPipeline(page, FAILING);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  const step = page.getByTestId('live-as_number');
  await expect(step).toContainText(/[1-9][\d.k]* errors/);
  await page.getByTestId('node-as_number').getByText('Category as a number').click();
  const bad = inspector.getByRole('region', { name: 'Bad records' });
  await expect(bad.getByText(/CAST/).first()).toBeVisible();
  // The record field by field, as it arrived at the step.
  const row = bad.locator('.error-row').first();
  await expect(row.locator('dt', { hasText: /^category$/ })).toBeVisible();
  await expect(row).not.toContainText('"category"');
  await expect(page.getByText('Live — job running')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'live-bad-records.png') });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
});
