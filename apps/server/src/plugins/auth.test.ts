// Signing in by the printed link, sessions, sign-out, the failed-attempt
// limit, Origin checks on state-changing calls, and what the logs never hold.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loggingTestApp, signInLink, TEST_TOKEN, type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const HOST = 'localhost:80';
const OWN = 'http://localhost:80';

async function signIn(app = t): Promise<string> {
  const res = await app.app.inject({ method: 'GET', url: signInLink(app.app) });
  expect(res.statusCode, res.body).toBe(302);
  return res.cookies.find((c) => c.name === 'sluice_session')!.value;
}

function catalogWith(session: string) {
  return t.app.inject({ method: 'GET', url: '/api/catalog', cookies: { sluice_session: session } });
}

describe('the login link', () => {
  it('trades a one-time code for a random session id, and leads to a URL without the code', async () => {
    const res = await t.app.inject({ method: 'GET', url: signInLink(t.app) });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = res.cookies.find((c) => c.name === 'sluice_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value).not.toContain(TEST_TOKEN);
    expect(cookie.value.length).toBeGreaterThanOrEqual(32);
    expect((await catalogWith(cookie.value)).statusCode).toBe(200);
    // The token itself is no session.
    expect((await catalogWith(TEST_TOKEN)).statusCode).toBe(401);
    expect(await signIn()).not.toBe(cookie.value);
  });

  // Wrong codes and the failure limit: routes/session.test.ts.
});

describe('sessions', () => {
  const post = (url: string, session: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { host: HOST, origin: OWN },
      cookies: { sluice_session: session },
    });

  it('sign-out ends this session only', async () => {
    const mine = await signIn();
    const other = await signIn();
    const res = await post('/api/session/sign-out', mine);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.cookies.find((c) => c.name === 'sluice_session')?.value).toBe('');
    expect((await catalogWith(mine)).statusCode).toBe(401);
    expect((await catalogWith(other)).statusCode).toBe(200);
  });

  it('revoke-all ends every session; the token still works', async () => {
    const one = await signIn();
    const two = await signIn();
    const res = await post('/api/sessions/revoke-all', one);
    expect(res.statusCode, res.body).toBe(204);
    expect((await catalogWith(one)).statusCode).toBe(401);
    expect((await catalogWith(two)).statusCode).toBe(401);
    const bearer = await t.app.inject({ method: 'GET', url: '/api/catalog', headers: t.auth });
    expect(bearer.statusCode).toBe(200);
  });

  /** Closes the app and builds it again on the same data directory, as a restart does. */
  const restart = async (overrides: { token?: string } = {}) => {
    await t.app.close();
    const dataDir = t.options.dataDir;
    const removeDir = t.close;
    t = await testApp({ dataDir, ...overrides });
    // The new app keeps the directory on close; the test's cleanup still removes it.
    const close = t.close;
    t = {
      ...t,
      async close() {
        await close();
        await removeDir();
      },
    };
  };

  it('survive a restart of the server (kept in its database)', async () => {
    const session = await signIn();
    const unused = signInLink(t.app);
    await restart();
    expect((await catalogWith(session)).statusCode).toBe(200);
    // A link printed before the restart still signs in, once.
    expect((await t.app.inject({ method: 'GET', url: unused })).headers.location).toBe('/');
  });

  it('ended by revoke-all stay ended after a restart', async () => {
    const session = await signIn();
    expect((await post('/api/sessions/revoke-all', session)).statusCode).toBe(204);
    await restart();
    expect((await catalogWith(session)).statusCode).toBe(401);
  });

  it('end when the server starts with another token, and so do unused links', async () => {
    const session = await signIn();
    const unused = signInLink(t.app);
    await restart({ token: 'another-token-0123456789abcdefghijklmnopqrstuv' });
    expect((await catalogWith(session)).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: unused });
    expect(res.headers.location).toBe('/?sign-in=unknown');
  });
});

describe('state-changing calls with the session cookie', () => {
  const validate = (session: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: { host: HOST, 'content-type': 'application/json', ...headers },
      cookies: { sluice_session: session },
      payload: { format: 'sluice.pipeline/v1', name: 'x', nodes: [], edges: [] },
    });

  it.each([
    ['another port', { origin: 'http://localhost:81' }],
    ['another host', { origin: 'http://127.0.0.1:80' }],
    ['the null origin', { origin: 'null' }],
    ['no Origin at all', {}],
    ['no Origin, from another site', { 'sec-fetch-site': 'same-site' }],
  ])('are refused from %s', async (_what, headers) => {
    const res = await validate(await signIn(), headers);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe('forbidden-origin');
  });

  it('are accepted from the server’s own origin, or with Sec-Fetch-Site: same-origin', async () => {
    const session = await signIn();
    expect((await validate(session, { origin: OWN })).statusCode).toBe(200);
    expect((await validate(session, { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('are accepted from an origin in SLUICE_ALLOWED_ORIGINS', async () => {
    await t.close();
    t = await testApp({ allowedOrigins: ['http://designer.example:8080'] });
    const res = await validate(await signIn(), { origin: 'http://designer.example:8080' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('with the Bearer token and no cookie need no Origin (scripts, the CLI)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/pipelines/validate',
      headers: t.auth,
      payload: { format: 'sluice.pipeline/v1', name: 'x', nodes: [], edges: [] },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('the logs', () => {
  it('never hold the token, a session id or a cookie', async () => {
    const verbose = await loggingTestApp();
    try {
      const login = await verbose.app.inject({ method: 'GET', url: signInLink(verbose.app) });
      const session = login.cookies.find((c) => c.name === 'sluice_session')!.value;
      await verbose.app.inject({ method: 'GET', url: '/api/catalog', headers: verbose.auth });
      await verbose.app.inject({
        method: 'GET',
        url: '/api/catalog',
        cookies: { sluice_session: session },
      });
      await verbose.app.inject({ method: 'GET', url: '/login?code=wrong-but-secret-guess' });
      expect(verbose.logged()).toContain('/login');
      expect(verbose.logged()).toContain('/api/catalog');
      expect(verbose.logged()).not.toContain(TEST_TOKEN);
      expect(verbose.logged()).not.toContain(session);
      expect(verbose.logged()).not.toContain('wrong-but-secret-guess');
    } finally {
      await verbose.close();
    }
  });
});
