// What if, and a captured slice as a test: while a job of the example runs,
// its filter is edited on the canvas; What if replays the job's recorded
// records through both versions and shows the windows that change. The slice
// saved as a test case passes `sluice test` against the running version and
// fails against the edited one.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import { REPO_ROOT } from '../support/sluice-server.js';

const NAME = 'Orders per category, what if';
const run = promisify(execFile);

test.use({ viewport: { width: 1440, height: 900 } });

test('a what-if diff after editing a filter, and the slice as a test sluice test fails after the edit', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(90_000);
  requireBuiltWebApp();
  const example = JSON.parse(
    await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8'),
  );
  const pipeline = { ...example, name: NAME };
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: pipeline,
  });
  expect(imported.status()).toBe(201);
  const { id: pipelineId, version } = (await imported.json()) as { id: string; version: number };
  const deployed = await request.post('/api/jobs', {
    headers: sluice.auth,
    data: { pipelineId, version },
  });
  expect(deployed.status()).toBe(201);
  const { id: jobId } = (await deployed.json()) as { id: string };
  // A few seconds of orders recorded: several windows' worth.
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get(`/api/jobs/${jobId}/edges/e1/records?limit=1`, {
              headers: sluice.auth,
            })
          ).json()
        ).kept,
      { timeout: 20_000 },
    )
    .toBeGreaterThan(600);

  // The pipeline on the canvas while its job runs: the filter made stricter.
  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  await page.getByTestId('node-big_orders').getByText('Big orders').click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await retype(
    page,
    inspector.getByRole('textbox', { name: 'Keep records where' }),
    "amount >= 150 AND category <> 'test'",
  );
  await expect(page.locator('.save-state')).toHaveText('Saved');

  await page.getByRole('button', { name: 'What if' }).click();
  const dialog = page.getByRole('dialog', { name: 'What if' });
  await dialog.getByRole('button', { name: 'Replay the recorded records' }).click();
  const summary = dialog.getByTestId('what-if-summary-results');
  await expect(summary).toContainText(/^\d+ changed, \d+ removed, \d+ added, \d+ the same/, {
    timeout: 30_000,
  });
  const changed = Number(/^(\d+) changed/.exec((await summary.textContent()) ?? '')?.[1]);
  expect(changed).toBeGreaterThan(0);
  const changes = dialog.getByRole('table', { name: 'Changes in Results' });
  await expect(changes.locator('tr.diff-removed').first()).toBeVisible();
  await expect(changes.locator('tr.diff-added td.diff-cell').first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'debug-what-if.png') });

  // The slice, saved as a test case: it passes against the running version, fails against the edit.
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save a test case of the running version' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('orders-per-category-what-if.tests.json');
  const dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-tests-'));
  const tests = join(dir, 'orders.tests.json');
  await file.saveAs(tests);
  const saved = JSON.parse(await readFile(tests, 'utf8'));
  expect(saved.format).toBe('sluice.tests/v1');
  expect(saved.cases[0].inputs.e1.length).toBeGreaterThan(600);
  await writeFile(join(dir, 'orders.json'), JSON.stringify(pipeline));
  const sluiceCli = join(REPO_ROOT, 'apps/server/bin/sluice.js');
  const passing = await run('node', [sluiceCli, 'test', 'orders.json'], { cwd: dir });
  expect(passing.stdout).toContain('1 case passed');

  const edited = structuredClone(pipeline);
  edited.nodes.find((n: { id: string }) => n.id === 'big_orders').config.where =
    "amount >= 150 AND category <> 'test'";
  await writeFile(join(dir, 'orders.json'), JSON.stringify(edited));
  const failing = await run('node', [sluiceCli, 'test', 'orders.json'], { cwd: dir }).then(
    () => ({ code: 0, stdout: '' }),
    (error: { code: number; stdout: string }) => error,
  );
  expect(failing.code).toBe(1);
  expect(failing.stdout).toContain('1 of 1 case failed');
  expect(failing.stdout).toMatch(/results: \d+ added, \d+ removed, [1-9]\d* changed/);
});

async function retype(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
}
