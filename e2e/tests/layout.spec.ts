// The designer on a small screen (1024×700): a job deployed from the canvas
// keeps its Stop button on screen and clickable, the page never scrolls
// sideways, the minimap covers no step, and the side and results panels fold
// away for the canvas (and stay folded after a reload).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const WIDTH = 1024;
const HEIGHT = 700;
/** The example, under a name of its own: the other tests open the seeded one by its name. */
const EXAMPLE = 'Orders per category, on a small screen';

test.use({ viewport: { width: WIDTH, height: HEIGHT } });

/** The page's own size: what it would scroll to. */
const pageSize = (page: Page) =>
  page.evaluate(() => ({
    width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    height: Math.max(document.documentElement.scrollHeight, document.body.scrollHeight),
  }));

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on the page');
  return b;
}

const overlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function canvasWidth(page: Page) {
  return (await box(page.locator('.canvas'))).width;
}

test('at 1024×700 a running job can be stopped, nothing scrolls sideways, and the panels fold away', async ({
  page,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeVisible();

  // Import the example as a user would, through the header's Import button.
  const example = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8'),
  );
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a pipeline file' }).click();
  await (await chooser).setFiles({
    name: 'orders-per-category.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...example, name: EXAMPLE })),
  });
  await expect(page.getByText(`Imported “${EXAMPLE}”`)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(EXAMPLE);

  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  await expect(page.getByTestId('live-orders')).toContainText(/out [1-9]/);
  await expect(page.getByTestId('live-per_category')).toContainText(/open window/);
  // Two windows' results (the first is partial), so the panel below is as full as it gets.
  const rows = page.getByRole('table', { name: 'Preview results' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 10_000 });
  await expect(rows.nth(4)).toBeVisible({ timeout: 10_000 });

  // Stop is wholly on screen; the page is no wider (nor taller) than the window.
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  await expect(stop).toBeInViewport({ ratio: 1 });
  const size = await pageSize(page);
  expect(size.width).toBeLessThanOrEqual(WIDTH);
  expect(size.height).toBeLessThanOrEqual(HEIGHT);

  // Every step is on the canvas, none under another, none under the minimap (shown only when
  // part of the pipeline is out of view).
  const nodes = await page.locator('.react-flow__node').all();
  expect(nodes).toHaveLength(4);
  const boxes = await Promise.all(nodes.map(box));
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
  }
  const minimap = page.getByRole('img', { name: 'Overview of the pipeline' });
  if ((await minimap.count()) > 0) {
    const map = await box(minimap);
    for (const b of boxes) expect(overlap(map, b)).toBe(false);
  }
  await page.screenshot({ path: join(SCREENSHOTS, 'live-1024x700.png') });

  // The side panel folds away, and the canvas takes its room; Stop stays on screen.
  const before = await canvasWidth(page);
  const side = page.getByRole('button', { name: 'Side panel' });
  await expect(side).toHaveAttribute('aria-pressed', 'true');
  await side.click();
  await expect(page.getByRole('complementary', { name: 'Live inspector' })).toHaveCount(0);
  await expect(side).toHaveAttribute('aria-pressed', 'false');
  expect(await canvasWidth(page)).toBeGreaterThan(before + 200);

  // So does the results panel, leaving its title and the button that brings it back.
  const results = page.getByRole('button', { name: 'Results panel' });
  await results.click();
  await expect(page.getByRole('region', { name: 'Results' })).toHaveCount(0);
  await expect(results).toHaveAttribute('aria-pressed', 'false');
  await expect(stop).toBeInViewport({ ratio: 1 });

  // Stop, clicked, stops the job.
  await stop.click();
  await expect(page.getByText('Job stopped')).toBeVisible();
  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeEnabled();

  // Folded stays folded, after a reload too; unfolding brings the inspector back.
  await expect(page.getByRole('complementary', { name: 'Inspector' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Inspector' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Side panel' }).click();
  await expect(page.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
  expect((await pageSize(page)).width).toBeLessThanOrEqual(WIDTH);
});
