// Versions that mean something: saves of one run of edits make one version,
// each version says what changed, a version can be named, the deployed one is
// marked, and two versions compare side by side on the canvas — moving nodes
// is not a change.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const NAME = 'Orders per category, compared';

test('history, a named version, the deployed mark and a side-by-side diff', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const example = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8'),
  );
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: { ...example, name: NAME },
  });
  expect(imported.status()).toBe(201);
  const { id } = await imported.json();
  // Three saves in a row, as autosave makes them: a filter edited three times,
  // nodes moved, and at the end a second preview of every order.
  const edit = (where: string, dx: number, last: boolean) => ({
    ...example,
    name: NAME,
    nodes: [
      ...example.nodes.map((node: { id: string; position: { x: number; y: number } }) =>
        node.id === 'big_orders'
          ? { ...node, config: { where } }
          : { ...node, position: { x: node.position.x + dx, y: node.position.y } },
      ),
      ...(last
        ? [
            {
              id: 'all_orders',
              kind: 'sink.preview',
              label: 'All orders',
              position: { x: 300, y: 160 },
              config: { capacity: 50 },
            },
          ]
        : []),
    ],
    edges: [
      ...example.edges,
      ...(last ? [{ id: 'e_all', source: 'orders', target: 'all_orders' }] : []),
    ],
  });
  for (const [n, where] of ['amount >= 30', 'amount >= 40', 'amount >= 50'].entries()) {
    const saved = await request.put(`/api/pipelines/${id}`, {
      headers: sluice.auth,
      data: { pipeline: edit(where, n * 40, n === 2), expectedVersion: n + 1 },
    });
    expect(saved.status(), await saved.text()).toBe(200);
  }
  // A job of the newest version.
  const deployed = await request.post('/api/jobs', {
    headers: sluice.auth,
    data: { pipelineId: id, version: 4 },
  });
  expect(deployed.status(), await deployed.text()).toBe(201);
  const job = (await deployed.json()).id;

  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  await page.getByRole('button', { name: 'Version history' }).click();
  const history = page.getByRole('dialog', { name: 'Version history' });
  const rows = history.getByRole('listitem');
  // The three saves are one version; the import is the other.
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('v4');
  const summary =
    'Added Preview “All orders”; changed Filter “Big orders” (where); 1 connection added';
  await expect(rows.nth(0)).toContainText(summary);
  await expect(rows.nth(0)).toContainText('3 saves');
  await expect(rows.nth(0)).toContainText('deployed');
  await expect(rows.nth(1)).toContainText('Imported');

  // A name for the imported version.
  await history.getByRole('button', { name: 'Name version 1' }).click();
  await history.getByRole('textbox', { name: 'Version name' }).fill('As imported');
  await history.getByRole('button', { name: 'Save name' }).click();
  await expect(rows.nth(1)).toContainText('As imported');
  const stored = await request.get(`/api/pipelines/${id}/versions`, { headers: sluice.auth });
  expect((await stored.json())[1]).toMatchObject({ version: 1, label: 'As imported' });

  // Side by side: the filter changed on both sides, the new preview on the newer
  // one, every other node unchanged (only moved).
  await history.getByRole('button', { name: 'Compare version 1 with version 4' }).click();
  const compare = page.getByRole('dialog', { name: 'Compare versions' });
  await expect(compare.getByRole('status')).toHaveText(summary);
  const older = compare.getByRole('region', { name: 'Version 1 (older)' });
  const newer = compare.getByRole('region', { name: 'Version 4 (newer)' });
  await expect(older.locator('.diff-node')).toHaveCount(example.nodes.length);
  await expect(newer.locator('.diff-node')).toHaveCount(example.nodes.length + 1);
  for (const pane of [older, newer]) {
    await expect(pane.locator('.diff-node[data-status="changed"]')).toHaveCount(1);
    await expect(pane.getByRole('img', { name: /Big orders, changed: where/ })).toBeVisible();
  }
  await expect(newer.getByRole('img', { name: 'Preview All orders, added' })).toBeVisible();
  await expect(newer.locator('.diff-edge-added')).toHaveCount(1);
  await expect(older.locator('.diff-node[data-status="added"]')).toHaveCount(0);
  const changes = compare.getByRole('region', { name: 'Changes' });
  await expect(changes).toContainText("where: amount >= 20 AND category <> 'test' → amount >= 50");
  await expect(changes).toContainText('orders → all_orders');
  await expect(changes).toBeInViewport();
  await page.screenshot({ path: join(SCREENSHOTS, 'version-diff.png') });

  // Back to the list, and Escape closes it.
  await compare.getByRole('button', { name: 'History' }).click();
  await expect(history).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(history).toBeHidden();
  await request.post(`/api/jobs/${job}/stop`, { headers: sluice.auth, data: {} });
});
