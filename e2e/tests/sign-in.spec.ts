// Signing in with the one-time link `sluice start` prints (or one minted with
// the token), with the token form, and what a browser without either gets. The canvas's accessible names are the contract with apps/web.
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';

interface CatalogEntry {
  readonly kind: string;
  readonly label: string;
}
interface PipelineSummary {
  readonly id: string;
  readonly name: string;
}

test('a one-time sign-in link signs the browser in and opens the canvas at a URL without the code', async ({
  page,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const failures: string[] = [];
  page.on('response', (response) => {
    // Any refused call, or a missing file such as /favicon.ico.
    if (response.status() >= 400) {
      failures.push(`${response.status()} ${new URL(response.url()).pathname}`);
    }
  });

  await page.goto(sluice.loginURL);

  // Led to the canvas, which then names the pipeline it opened in the address.
  await expect(page).toHaveURL(new RegExp(`^${sluice.baseURL}/(p/[A-Za-z0-9_-]+)?$`));
  expect(page.url()).not.toContain('code=');
  expect(page.url()).not.toContain(new URL(sluice.loginURL).searchParams.get('code')!);
  const session = (await page.context().cookies()).find((c) => c.name === 'sluice_session');
  expect(session, 'the login link sets the session cookie').toMatchObject({
    httpOnly: true,
    sameSite: 'Strict',
  });

  // The palette lists every kind of the server's catalog: the page's own
  // call to /api/catalog went through with the session cookie.
  const catalog = (await (
    await request.get('/api/catalog', { headers: sluice.auth })
  ).json()) as CatalogEntry[];
  expect(catalog.length).toBeGreaterThan(0);
  const palette = page.getByRole('complementary', { name: 'Operators' });
  await expect(palette.getByRole('button', { name: /^Add / })).toHaveCount(catalog.length);
  for (const entry of catalog) {
    await expect(palette.getByRole('button', { name: `Add ${entry.label}:` })).toBeAttached();
  }

  // It opened the latest pipeline the server stored (the seeded examples).
  const pipelines = (await (
    await request.get('/api/pipelines', { headers: sluice.auth })
  ).json()) as PipelineSummary[];
  const latest = pipelines[0];
  expect(latest, 'the first start seeds example pipelines').toBeDefined();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(latest!.name);
  await expect(page).toHaveURL(`${sluice.baseURL}/p/${latest!.id}`);
  await expect(page.getByRole('application', { name: 'Pipeline canvas' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(failures, 'no request failed once signed in').toEqual([]);

  await page.screenshot({ path: join(SCREENSHOTS, 'signed-in-canvas.png') });
});

test('a browser without the login link reaches no data and is told how to sign in', async ({
  page,
}) => {
  requireBuiltWebApp();
  const apiStatuses: string[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/')) apiStatuses.push(`${response.status()} ${url.pathname}`);
  });
  const catalogAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/catalog');

  await page.goto('/');

  // The page itself is public (it holds no secrets); every API call is refused.
  expect((await catalogAnswer).status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('not signed in');
  await expect(page.getByRole('alert')).toContainText('login link');
  // No editor to mistake for a working one.
  await expect(page.getByRole('application', { name: 'Pipeline canvas' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveCount(0);
  expect(apiStatuses.length).toBeGreaterThan(0);
  expect(apiStatuses.filter((s) => !s.startsWith('401 '))).toEqual([]);
  const palette = page.getByRole('complementary', { name: 'Operators' });
  await expect(palette.getByRole('button', { name: /^Add / })).toHaveCount(0);
  expect(await page.context().cookies()).toEqual([]);

  await page.screenshot({ path: join(SCREENSHOTS, 'signed-out.png') });
});

test('the link sluice start printed signs in once; a fresh browser opening it again is not signed in', async ({
  browser,
  page,
  sluice,
}) => {
  requireBuiltWebApp();
  expect(sluice.printedLoginURL).toMatch(/\/login\?code=[A-Za-z0-9_-]{43}$/);
  expect(sluice.printedLoginURL).not.toContain(sluice.token);
  await page.goto(sluice.printedLoginURL);
  await expect(page.getByRole('application', { name: 'Pipeline canvas' })).toBeVisible();
  // The latest pipeline opened, named in the address; nothing of the sign-in is left in it.
  await expect(page).toHaveURL(new RegExp(`^${sluice.baseURL}/p/[A-Za-z0-9_-]+$`));

  // Someone who finds the link in this browser's history gets nothing from it.
  const other = await browser.newContext();
  try {
    const stranger = await other.newPage();
    await stranger.goto(sluice.printedLoginURL);
    await expect(stranger.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();
    await expect(stranger.getByRole('alert')).toContainText('This sign-in link was already used');
    await expect(stranger.getByRole('alert')).toContainText('Paste the token below');
    // The page drops the reason from the address; no session came of it.
    await expect(stranger).toHaveURL(`${sluice.baseURL}/`);
    expect(await other.cookies()).toEqual([]);
    expect((await stranger.request.get('/api/catalog')).status()).toBe(401);
  } finally {
    await other.close();
  }
});

test('a made-up code or an old link with the token does not sign in, and the page says why', async ({
  page,
  sluice,
}) => {
  requireBuiltWebApp();
  await page.goto(`${sluice.baseURL}/login?code=not-a-code`);
  await expect(page.getByRole('alert')).toContainText('This sign-in link is not valid');
  await page.goto(`${sluice.baseURL}/login?token=${encodeURIComponent(sluice.token)}`);
  await expect(page.getByRole('alert')).toContainText('no longer carry the token');
  expect(await page.context().cookies()).toEqual([]);
});

test('the token pasted into the signed-out page signs in, and leaves no secret in the URL', async ({
  page,
  sluice,
}) => {
  requireBuiltWebApp();
  await page.goto('/');
  const form = page.getByLabel(/^Token/);
  await form.fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That is not the token');

  await form.fill(sluice.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('application', { name: 'Pipeline canvas' })).toBeVisible();
  // The latest pipeline opened, named in the address; nothing of the sign-in is left in it.
  await expect(page).toHaveURL(new RegExp(`^${sluice.baseURL}/p/[A-Za-z0-9_-]+$`));
  const session = (await page.context().cookies()).find((c) => c.name === 'sluice_session');
  expect(session?.value).not.toContain(sluice.token);
});

test('signing out ends the session: the cookie no longer opens anything', async ({
  page,
  sluice,
}) => {
  requireBuiltWebApp();
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('application', { name: 'Pipeline canvas' })).toBeVisible();
  const session = (await page.context().cookies()).find((c) => c.name === 'sluice_session');
  expect(session?.value, 'the cookie holds a session id, not the token').not.toContain(
    sluice.token,
  );

  await page.getByRole('button', { name: 'Sign out' }).click();

  await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();
  // The old cookie, sent again by hand, is refused: the session ended on the server.
  const replay = await page.context().request.get('/api/catalog', {
    headers: { cookie: `sluice_session=${session!.value}` },
  });
  expect(replay.status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();
});
