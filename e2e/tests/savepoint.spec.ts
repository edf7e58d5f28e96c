// A job kept through a stop: deploy a pipeline that takes checkpoints, see the
// checkpoints in the live bar, stop it with a savepoint from the Stop menu,
// resume it from the Jobs dialog, and see it running again "Restored from
// savepoint N" — with Stop still on screen in a 1024 px window.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const NAME = 'Orders per category, kept through a stop';

test('stop with a savepoint, resume from the Jobs dialog, and see where it resumed from', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const example = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8'),
  );
  // A checkpoint a second, so the live bar has one to show within the test's time.
  const pipeline = {
    ...example,
    name: NAME,
    settings: { ...example.settings, checkpoints: { interval: '1s' } },
  };
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: pipeline,
  });
  expect(imported.status()).toBe(201);

  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  // A fresh deploy resumed from nothing; its checkpoints show as they are taken.
  await expect(page.getByText(/checkpoint (just now|\d+ s ago)/)).toBeVisible();
  await expect(page.getByText(/Restored from/)).toHaveCount(0);
  const panel = page.getByRole('complementary', { name: 'Live inspector' });
  await expect(panel.getByRole('region', { name: 'Checkpoints' })).toContainText('Taken');

  // Stop with savepoint, from the Stop menu, by the keyboard.
  const menuButton = page.getByRole('button', { name: 'Choose how the job ends' });
  await menuButton.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Choose how the job ends' });
  await expect(menu.getByRole('menuitem', { name: 'Stop', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Stop with savepoint' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Job stopped')).toBeVisible();
  const kept = page.getByText(/savepoint (\d+) kept · can resume/);
  await expect(kept).toBeVisible();
  const savepoint = /savepoint (\d+) kept/.exec((await kept.textContent()) ?? '')?.[1];
  expect(savepoint).toBeDefined();
  await page.getByRole('button', { name: 'Back to editing' }).click();

  // The Jobs dialog: the job is marked, and Resume takes it live again.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  const jobs = page.getByRole('dialog', { name: 'Jobs' }).getByRole('table', { name: 'Jobs' });
  const row = jobs.getByRole('row', { name: new RegExp(`^${NAME}.*stopped`) });
  await expect(row).toContainText(`savepoint ${savepoint} kept · can resume`);
  await row.getByRole('button', { name: new RegExp(`^Resume the job of ${NAME}`) }).click();
  await expect(page.getByRole('dialog', { name: 'Jobs' })).toHaveCount(0);
  await expect(page.getByText('Live — job running')).toBeVisible();
  const restored = page.getByText(new RegExp(`^Restored from savepoint ${savepoint} \\(taken `));
  await expect(restored).toBeVisible();
  await expect(restored).toHaveAttribute('title', /resumed from it, with its windows/);
  await expect(page.getByTestId('live-orders')).toContainText(/out [1-9]/);
  await page.screenshot({ path: join(SCREENSHOTS, 'live-restored-1280.png') });

  // A narrow window: the facts give way, Stop and its menu stay on screen.
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const control of [page.getByRole('button', { name: 'Stop', exact: true }), menuButton]) {
    const box = await control.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
  }
  await page.screenshot({ path: join(SCREENSHOTS, 'live-restored-1024.png') });

  // A running job has nothing to resume: the server says so.
  const listed = await request.get('/api/jobs', { headers: sluice.auth });
  const running = ((await listed.json()) as { id: string; name: string; status: string }[]).find(
    (j) => j.name === NAME && j.status === 'running',
  );
  expect(running).toBeDefined();
  const again = await request.post(`/api/jobs/${running!.id}/resume`, { headers: sluice.auth });
  expect(again.status()).toBe(409);

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
});
