// Back in time on a connection of a running job: the recorded records, the
// scrubber taken back to the oldest kept, a condition applied (and a wrong one
// refused with what is wrong), and one key followed over every connection,
// marked on the canvas.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const NAME = 'Orders per category, back in time';

test('scrub back on a connection, filter by a condition, and follow a key through the job', async ({
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

  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  await expect(page.getByTestId('edge-rate-e1')).toHaveText(/[1-9]/);
  // A few seconds of orders to go back through.
  await page.waitForTimeout(3_000);

  await page.getByTestId('edge-rate-e1').click();
  const panel = page.getByRole('complementary', { name: 'Live inspector' });
  await panel.getByRole('button', { name: 'Go back in time' }).click();
  const history = panel.getByTestId('edge-history');
  const table = history.getByRole('table', { name: 'Recorded Records from Orders to Big orders' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await expect(history.getByTestId('edge-history-figures')).toContainText(/kept of \d+ passed/);
  const firstId = async () =>
    Number(await table.getByRole('row').nth(1).getByRole('cell').nth(1).textContent());
  const latest = await firstId();

  // The scrubber to the oldest record kept: the newest shown is older than the latest.
  const scrubber = history.getByRole('slider', { name: 'Go back in time' });
  await scrubber.focus();
  await page.keyboard.press('Home');
  await expect(history.getByText(/^At \d\d:\d\d:\d\d, [\d.]+ s before the latest$/)).toBeVisible();
  await expect.poll(firstId).toBeLessThan(latest);

  // Back to the latest, and a condition, checked by the server: the rows shown meet it; a wrong one is refused.
  await history.getByRole('button', { name: 'Latest' }).click();
  await expect(history.getByText(/^The latest records, as of/)).toBeVisible();
  const condition = history.getByRole('searchbox', { name: /^Condition on/ });
  await condition.fill("category = 'books'");
  await history.getByRole('button', { name: 'Apply' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('books');
  const categories = await table
    .getByRole('row')
    .evaluateAll((rows) => rows.slice(1).map((r) => r.children[2]?.textContent));
  expect(new Set(categories)).toEqual(new Set(['books']));
  await page.screenshot({ path: join(SCREENSHOTS, 'debug-time-travel.png') });
  await condition.fill("amount > 'lots'");
  await history.getByRole('button', { name: 'Apply' }).click();
  await expect(history.getByRole('alert')).toContainText(/amount|lots|compare|number|string/i);

  // Follow one category over every connection: found before and after the filter, marked on the canvas.
  const follow = history.getByRole('region', { name: 'Follow a key' });
  await follow.getByRole('combobox', { name: 'Field to follow' }).selectOption('category');
  await follow.getByRole('textbox', { name: 'Value to follow' }).fill('books');
  await follow.getByRole('button', { name: 'Follow' }).click();
  const where = follow.getByRole('list', { name: 'Where the key is' });
  await expect(
    where.getByRole('listitem').filter({ hasText: 'Orders → Big orders' }),
  ).toContainText(/recorded, latest at/);
  await expect(page.getByTestId('edge-followed-e1')).toHaveText(/^key ×\d+$/);
  await expect(page.getByTestId('edge-followed-e2')).toBeVisible();
});
