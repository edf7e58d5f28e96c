// The designer never loses work: a reload mid-edit lands on the same pipeline
// with the edit (kept in the browser and offered back), a save that failed
// while the server was down lands once it is back, without another edit, and
// leaving with unsaved changes asks first. Addresses name the pipeline (and
// the job shown live), so reload, Back and Forward land where they should.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { REPO_ROOT, startRestartableSluiceServer } from '../support/sluice-server.js';

const NEW_CONDITION = "amount >= 50 AND category <> 'test'";

interface StoredNode {
  id: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
}

async function example(name: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(REPO_ROOT, 'examples/orders-per-category.json'), 'utf8');
  return { ...JSON.parse(text), name };
}

/** Stores the example under `name` through the API, as a script would; its id. */
async function importExample(
  request: APIRequestContext,
  server: { baseURL: string; auth: { authorization: string } },
  name: string,
): Promise<string> {
  const response = await request.post(`${server.baseURL}/api/pipelines/import`, {
    headers: server.auth,
    data: await example(name),
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function storedNodes(
  request: APIRequestContext,
  server: { baseURL: string; auth: { authorization: string } },
  id: string,
): Promise<Map<string, StoredNode>> {
  const response = await request.get(`${server.baseURL}/api/pipelines/${id}`, {
    headers: server.auth,
  });
  expect(response.status()).toBe(200);
  const record = (await response.json()) as { pipeline: { nodes: StoredNode[] } };
  return new Map(record.pipeline.nodes.map((n) => [n.id, n]));
}

/** Replaces the text of a CodeMirror editor by typing, as a person would. */
async function retype(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // closes the completion list, if open
}

async function editCondition(page: Page, text: string): Promise<void> {
  await page.getByTestId('node-big_orders').getByText('Big orders').first().click();
  const where = page
    .getByRole('complementary', { name: 'Inspector' })
    .getByRole('textbox', { name: 'Keep records where' });
  await retype(page, where, text);
  await expect(where).toContainText(text);
}

/** Drags a step by its title, by (dx, dy) screen pixels. */
async function dragNode(page: Page, node: Locator, dx: number, dy: number): Promise<void> {
  const box = await node.boundingBox();
  if (!box) throw new Error(`${node} is not on the screen.`);
  const start = { x: box.x + box.width / 2, y: box.y + 14 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + dx, start.y + dy, { steps: 6 });
  await page.mouse.up();
}

const saveState = (page: Page) => page.locator('.save-state');

test('a reload mid-edit keeps the edit and the pipeline', async ({ page, request, sluice }) => {
  requireBuiltWebApp();
  const id = await importExample(request, sluice, 'Recovery: reload mid-edit');
  await page.goto(sluice.loginURL);
  // A shared link to the pipeline opens it, whatever was saved last.
  await page.goto(`/p/${id}`);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    'Recovery: reload mid-edit',
  );
  const leaveQuestions: string[] = [];
  page.on('dialog', (dialog) => {
    leaveQuestions.push(dialog.type());
    void dialog.accept();
  });

  // The reload comes before the autosave lands: saves are held (never answered) until then, so
  // a slow machine cannot let the 800 ms autosave through before the reload.
  const held = (url: URL) => url.pathname === `/api/pipelines/${id}`;
  await page.route(held, (route) =>
    route.request().method() === 'PUT' ? undefined : route.continue(),
  );
  await editCondition(page, NEW_CONDITION);
  await dragNode(page, page.getByTestId('node-per_category'), 0, 140);
  await expect(saveState(page)).not.toHaveText('Saved');
  await page.reload();
  await page.unroute(held);
  expect(leaveQuestions, 'the reload asked "Leave page?" first').toEqual(['beforeunload']);

  await expect(page).toHaveURL(`${sluice.baseURL}/p/${id}`);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    'Recovery: reload mid-edit',
  );
  const offer = page.getByRole('region', { name: 'Unsaved changes kept' });
  await expect(offer).toContainText(
    /Unsaved changes from \d{1,2}:\d{2}.* were kept in this browser\./,
  );
  const before = await storedNodes(request, sluice, id);
  expect(before.get('big_orders')?.config.where, 'the server had not got the edit').not.toBe(
    NEW_CONDITION,
  );
  await page.screenshot({ path: join(SCREENSHOTS, 'draft-offer.png') });
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(offer).toHaveCount(0);

  // Restored as the open, unsaved document, which then autosaves.
  await page.getByTestId('node-big_orders').getByText('Big orders').first().click();
  await expect(
    page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('textbox', { name: 'Keep records where' }),
  ).toContainText(NEW_CONDITION);
  await expect(saveState(page)).toHaveText('Saved');
  const after = await storedNodes(request, sluice, id);
  expect(after.get('big_orders')?.config.where).toBe(NEW_CONDITION);
  expect(after.get('per_category')?.position.y).toBeGreaterThan(
    (before.get('per_category')?.position.y ?? 0) + 40,
  );

  // Saved: the draft is gone, so a reload offers nothing and asks nothing.
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    'Recovery: reload mid-edit',
  );
  await expect(saveState(page)).toHaveText('Saved');
  await expect(page.getByRole('region', { name: 'Unsaved changes kept' })).toHaveCount(0);
  expect(leaveQuestions).toEqual(['beforeunload']);
});

test('a save that failed while the server was down lands once it is back, without another edit', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  requireBuiltWebApp();
  const server = await startRestartableSluiceServer();
  try {
    const own = { baseURL: server.baseURL, auth: { authorization: `Bearer ${server.token}` } };
    const id = await importExample(request, own, 'Recovery: saved after a restart');
    await page.goto(server.loginURL);
    await page.goto(`${server.baseURL}/p/${id}`);
    await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
      'Recovery: saved after a restart',
    );
    await expect(page.getByRole('button', { name: 'Deploy' })).toBeEnabled();

    await server.down();
    await editCondition(page, NEW_CONDITION);
    // The autosave fails; the header counts down to the next try, and tries again.
    await expect(saveState(page)).toHaveText(/^Not saved — retrying in \d+ s$/, {
      timeout: 5_000,
    });
    await expect(page.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    await page.screenshot({ path: join(SCREENSHOTS, 'save-retrying.png') });
    const tries: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().endsWith(`/api/pipelines/${id}`)) tries.push(r.url());
    });
    // A second failed try: the retries go on by themselves.
    await expect.poll(() => tries.length, { timeout: 10_000 }).toBeGreaterThan(0);

    const answers: number[] = [];
    page.on('response', (r) => {
      const req = r.request();
      if (req.method() === 'PUT' && req.url().endsWith(`/api/pipelines/${id}`)) {
        answers.push(r.status());
      }
    });
    await server.up();
    // The session outlives the restart: the retried save lands by itself, with no edit and no sign-in.
    await expect(saveState(page)).toHaveText('Saved', { timeout: 40_000 });
    expect(answers).toContain(200);
    expect(answers).not.toContain(401);
    await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toHaveCount(0);
    await expect(saveState(page)).toHaveText('Saved', { timeout: 10_000 });
    const stored = await storedNodes(request, own, id);
    expect(stored.get('big_orders')?.config.where).toBe(NEW_CONDITION);
    await expect(page.getByRole('button', { name: 'Deploy' })).toBeEnabled();
  } finally {
    await server.stop();
  }
});

test('leaving with unsaved changes asks first; leaving once saved does not', async ({
  browser,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const id = await importExample(request, sluice, 'Recovery: leave page');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(sluice.loginURL);
    await page.goto(`/p/${id}`);
    const name = page.getByRole('textbox', { name: 'Pipeline name' });
    await expect(name).toHaveValue('Recovery: leave page');

    // Saved: closing asks nothing.
    const clean = await context.newPage();
    await clean.goto(`/p/${id}`);
    await expect(clean.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
      'Recovery: leave page',
    );
    await clean.getByTestId('node-big_orders').getByText('Big orders').first().click();
    const cleanQuestions: string[] = [];
    clean.on('dialog', (d) => {
      cleanQuestions.push(d.type());
      void d.accept();
    });
    const closed = clean.waitForEvent('close');
    await clean.close({ runBeforeUnload: true });
    await closed;
    expect(cleanQuestions).toEqual([]);

    // Dirty: closing asks "Leave page?"; staying keeps the page.
    await name.fill('Recovery: leave page, renamed');
    await expect(saveState(page)).toHaveText('Unsaved changes');
    const question = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await question;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(page.isClosed()).toBe(false);
    await expect(name).toHaveValue('Recovery: leave page, renamed');
  } finally {
    await context.close();
  }
});

test('addresses: Back and Forward between pipelines, an unknown id, and a job shown live', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const first = await importExample(request, sluice, 'Recovery: first');
  const second = await importExample(request, sluice, 'Recovery: second');
  await page.goto(sluice.loginURL);
  const name = page.getByRole('textbox', { name: 'Pipeline name' });

  await page.goto(`/p/${first}`);
  await expect(name).toHaveValue('Recovery: first');
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Pipelines' })
    .getByRole('button', { name: /^Recovery: second/ })
    .click();
  await expect(name).toHaveValue('Recovery: second');
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${second}`);
  await page.goBack();
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${first}`);
  await expect(name).toHaveValue('Recovery: first');
  await page.goForward();
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${second}`);
  await expect(name).toHaveValue('Recovery: second');

  // An id the server does not know is said; nothing else is opened in its place.
  await page.goto('/p/no-such-pipeline');
  await expect(page.getByRole('alert')).toContainText(
    'There is no pipeline “no-such-pipeline” on this server',
  );
  await expect(name).not.toHaveValue('Recovery: second');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page).toHaveURL(`${sluice.baseURL}/p/no-such-pipeline`);

  // A job the server does not have: said, and the pipeline opens for editing.
  await page.goto(`/p/${first}?job=00000000-0000-4000-8000-000000000000`);
  await expect(page.getByRole('alert')).toContainText(
    'The job in this address is not on the server any more',
  );
  await expect(name).toHaveValue('Recovery: first');
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${first}`);

  // A job shown live is in the address; a reload lands in its live view again.
  await page.goto(`/p/${second}`);
  await expect(name).toHaveValue('Recovery: second');
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/p/${second}\\?job=[0-9a-f-]{36}$`));
  const live = page.url();
  await page.reload();
  await expect(page.getByText('Live — job running')).toBeVisible();
  expect(page.url()).toBe(live);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
  await page.getByRole('button', { name: 'Back to editing' }).click();
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${second}`);
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeEnabled();
});
