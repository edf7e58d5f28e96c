// An analyst's first pipeline, end to end: built from the palette by drag and
// drop and form input, checked live, undone and redone, tidied, exported,
// deleted, re-imported byte for byte, and found again after a reload.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { centreOf, connect } from '../support/canvas.js';
import { expect, requireBuiltWebApp, SCREENSHOTS, type Sluice, test } from '../support/fixtures.js';

const NAME = 'Big orders per category';

test('build, check, undo, tidy, export, re-import and reload a pipeline', async ({
  page,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).not.toHaveValue('');

  // A new, empty pipeline.
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  const pipelines = page.getByRole('dialog', { name: 'Pipelines' });
  await pipelines.getByRole('textbox', { name: 'Name of a new pipeline' }).fill(NAME);
  await pipelines.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(NAME);
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(0);

  // datagen → filter → tumbling window count → preview, dropped in a zig-zag.
  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  const drop = async (label: string, x: number, y: number) =>
    page
      .getByRole('complementary', { name: 'Operators' })
      .getByRole('button', { name: new RegExp(`^Add ${label}:`) })
      .dragTo(canvas, { targetPosition: { x, y } });
  await drop('Data generator', 110, 110);
  await drop('Filter', 300, 250);
  await drop('Window aggregate', 490, 110);
  await drop('Preview', 680, 250);
  await expect(nodes).toHaveCount(4);
  const node = {
    source: page.getByTestId('node-datagen'),
    filter: page.getByTestId('node-filter'),
    window: page.getByTestId('node-aggregate'),
    sink: page.getByTestId('node-preview'),
  };
  await connect(page, 'Data generator output out', 'Filter input in');
  await connect(page, 'Filter output out', 'Window aggregate input in');
  await connect(page, 'Window aggregate output out', 'Preview input in');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  // The window: 10-second tumbling windows counting records per category.
  await node.window.getByText('Window aggregate').first().click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByRole('textbox', { name: 'Label' }).fill('Per category, 10 s');
  await inspector.getByRole('combobox', { name: /^Size/ }).fill('10s');
  await inspector.getByRole('checkbox', { name: /category/ }).check();

  // A filter naming a field that does not flow in is an error, on the node and in Problems.
  await node.filter.getByText('Filter').first().click();
  const where = inspector.getByRole('textbox', { name: 'Keep records where' });
  await retype(page, where, 'amount > 50');
  const problems = page.getByRole('region', { name: 'Problems' });
  const problem = problems.getByRole('button', { name: /amount/ });
  await expect(problem).toBeVisible();
  await expect(problems).toContainText('1 error');
  await expect(node.filter).toHaveClass(/has-errors/);
  await page.screenshot({ path: join(SCREENSHOTS, 'validation-error.png') });

  // Choosing the problem brings its step to the middle of the canvas.
  await panBy(page, canvas, -260, 120);
  await problem.click();
  await expect(node.filter).toHaveClass(/selected/);
  await expect.poll(() => distanceFromCentre(node.filter, canvas)).toBeLessThan(12);

  // The editor knows a filter must be boolean: a bare number is underlined as typed.
  await retype(page, where, 'value');
  await expect(where.locator('.cm-lintRange-error')).toBeVisible();
  await retype(page, where, 'value > 50');
  await expect(problems).toContainText('0 errors');
  await expect(node.filter).not.toHaveClass(/has-errors/);
  await expect(where.locator('.cm-lintRange-error')).toHaveCount(0);

  // Undo and redo a deletion.
  await node.sink.getByText('Preview').first().click();
  await page.keyboard.press('Delete');
  await expect(nodes).toHaveCount(3);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(nodes).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(nodes).toHaveCount(3);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(nodes).toHaveCount(4);

  // Auto-layout puts the chain in one row, left to right, without overlaps.
  await page.getByRole('button', { name: 'Tidy up (auto-layout)' }).click();
  const chain = [node.source, node.filter, node.window, node.sink];
  await expect.poll(() => inOneRow(chain)).toBe(true);
  await node.window.getByText('Window aggregate').first().click();
  await expect(page.locator('.save-state')).toHaveText('Saved');
  await page.screenshot({ path: join(SCREENSHOTS, 'designer.png') });

  // The download is the server's canonical export, byte for byte.
  const exported = await download(page);
  const first = await storedId(request, sluice);
  expect(first, 'the pipeline was saved').toBeDefined();
  expect(await serverExport(request, sluice, first ?? '')).toEqual(exported);

  // Delete it, then import the file: the same pipeline comes back.
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  page.once('dialog', (confirm) => void confirm.accept());
  await pipelines.getByRole('button', { name: `Delete ${NAME}` }).click();
  await expect(pipelines.getByRole('button', { name: `Delete ${NAME}` })).toHaveCount(0);
  await pipelines.getByRole('button', { name: 'Close' }).click();
  await expect(nodes).toHaveCount(0);
  expect(await storedId(request, sluice)).toBeUndefined();

  await page
    .getByLabel('Pipeline file to import')
    .setInputFiles({ name: 'big-orders.json', mimeType: 'application/json', buffer: exported });
  await expect(page.getByRole('status').filter({ hasText: `Imported “${NAME}”` })).toBeVisible();
  await expect(nodes).toHaveCount(4);
  const second = await storedId(request, sluice);
  expect(second).toBeDefined();
  expect(await serverExport(request, sluice, second ?? '')).toEqual(exported);
  expect(await download(page)).toEqual(exported);

  // After a reload it is still there, as it was.
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(NAME);
  await expect(nodes).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await expect(page.locator('.save-state')).toHaveText('Saved');
  await expect(node.window).toContainText('Per category, 10 s');
  expect(await download(page)).toEqual(exported);
});

/** Replaces the text of a CodeMirror editor by typing, as a person would. */
async function retype(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // closes the completion list, if open
}

/** Drags the empty canvas by (dx, dy) screen pixels. */
async function panBy(page: Page, canvas: Locator, dx: number, dy: number): Promise<void> {
  const box = (await canvas.boundingBox())!;
  // Near the top left corner, where no step was dropped.
  const start = { x: box.x + 16, y: box.y + 16 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + dx, start.y + dy, { steps: 6 });
  await page.mouse.up();
}

async function distanceFromCentre(node: Locator, canvas: Locator): Promise<number> {
  const a = await centreOf(node);
  const b = await centreOf(canvas);
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Whether the steps stand in one row, in this order, none overlapping the next (heights differ). */
async function inOneRow(steps: Locator[]): Promise<boolean> {
  const boxes = await Promise.all(steps.map(async (s) => (await s.boundingBox())!));
  return boxes.every((box, i) => {
    const next = boxes[i + 1];
    if (!next) return true;
    const gap = Math.abs(box.y + box.height / 2 - (next.y + next.height / 2));
    const sameRow = gap < Math.min(box.height, next.height) / 2;
    return sameRow && box.x + box.width < next.x;
  });
}

async function download(page: Page): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as JSON' }).click(),
  ]);
  return readFile(await file.path());
}

async function storedId(request: APIRequestContext, sluice: Sluice): Promise<string | undefined> {
  const response = await request.get('/api/pipelines', { headers: sluice.auth });
  const list = (await response.json()) as { id: string; name: string }[];
  return list.find((p) => p.name === NAME)?.id;
}

async function serverExport(
  request: APIRequestContext,
  sluice: Sluice,
  id: string,
): Promise<Buffer> {
  const response = await request.get(`/api/pipelines/${id}/export`, { headers: sluice.auth });
  expect(response.status()).toBe(200);
  return response.body();
}
