// When two copies of a pipeline meet: two tabs editing it (the one that loses
// keeps its work as a copy), and a file imported under a name that is taken
// (a new version of it, or a copy beside it). And the Pipelines dialog closes
// with Escape after an inline rename.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, requireBuiltWebApp, SCREENSHOTS, type Sluice, test } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/sluice-server.js';

interface Stored {
  id: string;
  name: string;
  version: number;
}

async function importNamed(request: APIRequestContext, sluice: Sluice, name: string) {
  const text = await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8');
  const response = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: { ...JSON.parse(text), name },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as Stored & { pipeline: unknown };
}

async function stored(request: APIRequestContext, sluice: Sluice): Promise<Stored[]> {
  return (await (await request.get('/api/pipelines', { headers: sluice.auth })).json()) as Stored[];
}

async function whereOf(request: APIRequestContext, sluice: Sluice, id: string): Promise<string> {
  const record = (await (
    await request.get(`/api/pipelines/${id}`, { headers: sluice.auth })
  ).json()) as { pipeline: { nodes: { id: string; config: { where?: string } }[] } };
  return record.pipeline.nodes.find((n) => n.id === 'big_orders')?.config.where ?? '';
}

async function retype(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
}

async function editCondition(page: Page, text: string): Promise<void> {
  await page.getByTestId('node-big_orders').getByText('Big orders').first().click();
  await retype(
    page,
    page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('textbox', { name: 'Keep records where' }),
    text,
  );
}

test('two tabs on one pipeline: the one saved second keeps its work as a copy', async ({
  context,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const NAME = 'Conflict: two tabs';
  const original = await importNamed(request, sluice, NAME);
  const first = await context.newPage();
  await first.goto(sluice.loginURL);
  await first.goto(`/p/${original.id}`);
  const second = await context.newPage();
  await second.goto(`/p/${original.id}`);
  for (const tab of [first, second]) {
    await expect(tab.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(NAME);
  }

  await editCondition(first, 'amount >= 30');
  await expect(first.locator('.save-state')).toHaveText('Saved');
  await editCondition(second, 'amount >= 70');
  const alert = second.getByRole('alert');
  await expect(alert).toContainText('This pipeline was saved elsewhere since you opened it');
  // Not tried again: the same save would be refused the same way.
  await expect(second.locator('.save-state')).toHaveText('Not saved');
  await expect(alert.getByRole('button', { name: 'Open the latest (drop mine)' })).toBeVisible();
  await second.screenshot({ path: join(SCREENSHOTS, 'conflict-save-as-copy.png') });

  await alert.getByRole('button', { name: 'Save mine as a copy' }).click();
  await expect(second.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    `${NAME} (copy)`,
  );
  await expect(second.locator('.save-state')).toHaveText('Saved');
  await expect(
    second.getByRole('status').filter({ hasText: 'Your version was saved as' }),
  ).toBeVisible();
  const copy = (await stored(request, sluice)).find((p) => p.name === `${NAME} (copy)`);
  expect(copy).toBeDefined();
  await expect(second).toHaveURL(`${sluice.baseURL}/p/${copy!.id}`);
  expect(await whereOf(request, sluice, copy!.id)).toBe('amount >= 70');
  expect(await whereOf(request, sluice, original.id)).toBe('amount >= 30');
  await expect(second.getByRole('button', { name: 'Deploy' })).toBeEnabled();
});

test('changes kept in the browser from an older version are restored as a copy, not over the newer one', async ({
  page,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const NAME = 'Conflict: kept from an older version';
  const original = await importNamed(request, sluice, NAME);
  await page.goto(sluice.loginURL);
  await page.goto(`/p/${original.id}`);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(NAME);
  // This browser's saves do not get through (the network fails them); another saves meanwhile.
  await page.route(`**/api/pipelines/${original.id}`, (route) =>
    route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.fallback(),
  );
  await editCondition(page, 'amount >= 70');
  await expect(page.locator('.save-state')).toHaveText(/^Not saved — retrying in \d+ s$/);
  const elsewhere = await request.put(`/api/pipelines/${original.id}`, {
    headers: sluice.auth,
    data: { pipeline: { ...(original.pipeline as object), description: 'Saved elsewhere' } },
  });
  expect(elsewhere.status()).toBe(200);
  await page.unroute(`**/api/pipelines/${original.id}`);
  page.on('dialog', (d) => void d.accept());
  await page.reload();

  const offer = page.getByRole('region', { name: 'Unsaved changes kept' });
  await expect(offer).toContainText(
    'The pipeline was saved elsewhere since (now version 2), so restoring them saves them as a copy.',
  );
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(`${NAME} (copy)`);
  await expect(page.locator('.save-state')).toHaveText('Saved');
  const copy = (await stored(request, sluice)).find((p) => p.name === `${NAME} (copy)`);
  expect(copy).toBeDefined();
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${copy!.id}`);
  expect(await whereOf(request, sluice, copy!.id)).toBe('amount >= 70');
  // The newer version is as the other saved it.
  expect(await whereOf(request, sluice, original.id)).not.toBe('amount >= 70');
  expect((await stored(request, sluice)).find((p) => p.id === original.id)?.version).toBe(2);
});

test('importing a pipeline whose name exists asks: a new version of it, a copy, or nothing', async ({
  page,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const NAME = 'Conflict: imported twice';
  const original = await importNamed(request, sluice, NAME);
  const exported = await (
    await request.get(`/api/pipelines/${original.id}/export`, { headers: sluice.auth })
  ).body();
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).not.toHaveValue('');
  const chooseFile = () =>
    page
      .getByLabel('Pipeline file to import')
      .setInputFiles({ name: 'imported.json', mimeType: 'application/json', buffer: exported });
  const question = page.getByRole('dialog', { name: 'A pipeline of that name exists' });
  const count = async () =>
    (await stored(request, sluice)).filter((p) => p.name.startsWith(NAME)).length;

  // Cancel: nothing is stored.
  await chooseFile();
  await expect(question).toContainText(`“${NAME}”`);
  await expect(question).toContainText(`A copy is named “${NAME} (2)”`);
  await page.screenshot({ path: join(SCREENSHOTS, 'import-name-taken.png') });
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  expect(await count()).toBe(1);

  // A copy, named apart.
  await chooseFile();
  await question.getByRole('button', { name: 'Import as a copy' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Imported as “${NAME} (2)”` }),
  ).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(`${NAME} (2)`);
  expect(await count()).toBe(2);

  // A new version of the stored one: no third pipeline.
  await chooseFile();
  await question.getByRole('button', { name: `Add as a new version of ${NAME}` }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Imported as version 2 of “${NAME}”` }),
  ).toBeVisible();
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${original.id}`);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(NAME);
  expect(await count()).toBe(2);
  expect((await stored(request, sluice)).find((p) => p.id === original.id)?.version).toBe(2);
});

test('Escape closes the Pipelines dialog after an inline rename', async ({
  page,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const NAME = 'Conflict: renamed inline';
  await importNamed(request, sluice, NAME);
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).not.toHaveValue('');
  const dialog = page.getByRole('dialog', { name: 'Pipelines' });

  // Renamed with Enter, then Escape: the dialog closes.
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  await dialog.getByRole('button', { name: `Rename ${NAME}`, exact: true }).click();
  const box = dialog.getByRole('textbox', { name: `New name for ${NAME}` });
  await box.fill(`${NAME}, again`);
  await box.press('Enter');
  await expect(dialog.getByRole('button', { name: `Rename ${NAME}, again` })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect((await stored(request, sluice)).some((p) => p.name === `${NAME}, again`)).toBe(true);

  // A rename given up with Escape, then Escape again: the first closes the box, the second the dialog.
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  await dialog.getByRole('button', { name: `Rename ${NAME}, again` }).click();
  const again = dialog.getByRole('textbox', { name: `New name for ${NAME}, again` });
  await again.fill('Not this name');
  await again.press('Escape');
  await expect(dialog.getByRole('textbox', { name: /^New name for/ })).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  const names = (await stored(request, sluice)).map((p) => p.name);
  expect(names).toContain(`${NAME}, again`);
  expect(names).not.toContain('Not this name');
});
