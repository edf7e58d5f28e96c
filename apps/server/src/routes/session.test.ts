// One-time sign-in links, the token form, and minting links: what a browser's
// history keeps (a dead code) and what the logs never hold.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SIGN_IN_CODE_MAX_AGE_S } from '../plugins/sessions.js';
import { loggingTestApp, signInLink, TEST_TOKEN, type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

const HOST = 'localhost:80';
const OWN = 'http://localhost:80';

const open = (url: string) => t.app.inject({ method: 'GET', url });
const sessionOf = (res: { cookies: { name: string; value: string }[] }) =>
  res.cookies.find((c) => c.name === 'sluice_session')?.value;
const catalogWith = (session: string) =>
  t.app.inject({ method: 'GET', url: '/api/catalog', cookies: { sluice_session: session } });

describe('a one-time sign-in link', () => {
  it('signs in once, to a URL without the code; opened again it leads to the signed-out page', async () => {
    const link = signInLink(t.app);
    const first = await open(link);
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    const session = sessionOf(first)!;
    expect((await catalogWith(session)).statusCode).toBe(200);

    const again = await open(link);
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe('/?sign-in=used');
    expect(sessionOf(again)).toBeUndefined();
  });

  it('is refused once a day old, unused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const link = signInLink(t.app);
    vi.setSystemTime(Date.now() + SIGN_IN_CODE_MAX_AGE_S * 1000);
    const res = await open(link);
    expect(res.headers.location).toBe('/?sign-in=expired');
    expect(sessionOf(res)).toBeUndefined();
  });

  it('no longer accepts the token in the link: it is never compared, and the page explains', async () => {
    const res = await open(`/login?token=${TEST_TOKEN}`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/?sign-in=token-link');
    expect(sessionOf(res)).toBeUndefined();
  });

  it('counts made-up codes as failed sign-ins: past 20 in a minute even a good link waits', async () => {
    const locations: string[] = [];
    for (let i = 0; i < 21; i++)
      locations.push(String((await open(`/login?code=guess${i}`)).headers.location));
    expect(locations.slice(0, 20)).toEqual(new Array(20).fill('/?sign-in=unknown'));
    expect(locations[20]).toBe('/?sign-in=too-many');
    const good = await open(signInLink(t.app));
    expect(good.headers.location).toBe('/?sign-in=too-many');
    expect(sessionOf(good)).toBeUndefined();
  });

  it('a page flooding made-up sign-in links cannot keep the token out: the token form and Bearer calls still work', async () => {
    for (let i = 0; i < 30; i++) await open(`/login?code=flood${i}`);
    expect((await open(signInLink(t.app))).headers.location).toBe('/?sign-in=too-many');
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/session/sign-in',
      payload: { token: TEST_TOKEN },
    });
    expect(form.statusCode).toBe(204);
    expect(sessionOf(form)).toBeDefined();
    const api = await t.app.inject({ url: '/api/catalog', headers: t.auth });
    expect(api.statusCode).toBe(200);
    const wrongForm = await t.app.inject({
      method: 'POST',
      url: '/api/session/sign-in',
      payload: { token: 'not-it' },
    });
    expect(wrongForm.statusCode).toBe(429);
  });

  it('revoke-all ends the links not yet used', async () => {
    const link = signInLink(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sessions/revoke-all',
      headers: t.auth,
    });
    expect(res.statusCode).toBe(204);
    expect((await open(link)).headers.location).toBe('/?sign-in=unknown');
  });
});

describe('the token form of the signed-out page', () => {
  const signIn = (token: string, headers: Record<string, string> = { host: HOST, origin: OWN }) =>
    t.app.inject({ method: 'POST', url: '/api/session/sign-in', headers, payload: { token } });

  it('signs in with the token in the body, from the server’s own page', async () => {
    const res = await signIn(`${TEST_TOKEN}\n`);
    expect(res.statusCode, res.body).toBe(204);
    const session = sessionOf(res)!;
    expect(session).not.toContain(TEST_TOKEN);
    expect((await catalogWith(session)).statusCode).toBe(200);
  });

  it('refuses a wrong token, saying where the right one is', async () => {
    const res = await signIn('not-the-token');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('state/token');
    expect(sessionOf(res)).toBeUndefined();
  });

  it('refuses another site’s page', async () => {
    const res = await signIn(TEST_TOKEN, { host: HOST, origin: 'http://127.0.0.1:9999' });
    expect(res.statusCode).toBe(403);
    expect(sessionOf(res)).toBeUndefined();
  });
});

describe('POST /api/session/links', () => {
  const mint = (headers: Record<string, string>, cookies: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/session/links', headers, cookies });

  it('needs the token: neither nothing nor a session cookie mints a link', async () => {
    expect((await mint({})).statusCode).toBe(401);
    const session = sessionOf(await open(signInLink(t.app)))!;
    const withCookie = await mint({ host: HOST, origin: OWN }, { sluice_session: session });
    expect(withCookie.statusCode).toBe(401);
    expect(withCookie.json().error.message).toContain('Bearer');
  });

  it('returns a fresh one-time link with the token', async () => {
    const res = await mint({ ...t.auth, host: HOST });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { url: string; path: string; expiresAt: string };
    expect(body.url).toBe(`http://${HOST}${body.path}`);
    expect(body.path).toMatch(/^\/login\?code=[A-Za-z0-9_-]{43}$/);
    expect(body.url).not.toContain(TEST_TOKEN);
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect((await open(body.path)).headers.location).toBe('/');
    expect((await open(body.path)).headers.location).toBe('/?sign-in=used');
  });
});

describe('the logs', () => {
  it('never hold a sign-in code, the token from the form, or the session', async () => {
    const verbose = await loggingTestApp();
    try {
      const minted = await verbose.app.inject({
        method: 'POST',
        url: '/api/session/links',
        headers: verbose.auth,
      });
      const { path } = minted.json() as { path: string };
      const code = new URL(path, 'http://x').searchParams.get('code')!;
      const login = await verbose.app.inject({ method: 'GET', url: path });
      await verbose.app.inject({ method: 'GET', url: path });
      const form = await verbose.app.inject({
        method: 'POST',
        url: '/api/session/sign-in',
        payload: { token: TEST_TOKEN },
      });
      expect(form.statusCode).toBe(204);
      expect(verbose.logged()).toContain('/login');
      expect(verbose.logged()).toContain('/api/session/sign-in');
      expect(verbose.logged()).not.toContain(code);
      expect(verbose.logged()).not.toContain(TEST_TOKEN);
      expect(verbose.logged()).not.toContain(sessionOf(login)!);
      expect(verbose.logged()).not.toContain(sessionOf(form)!);
    } finally {
      await verbose.close();
    }
  });
});
