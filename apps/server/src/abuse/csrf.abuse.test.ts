// Cross-site request forgery: any page on 127.0.0.1 is same-site with the
// server, so the browser sends the session cookie along with its requests.
// Every state-changing route — read from Fastify's route table, so a new
// route is covered without editing this file — must refuse such a request
// unless it comes from the server's own origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInLink, type TestApp, testApp } from '../testing/app.js';

const FULL = process.env.SLUICE_ABUSE_FULL === '1';
const PORT = 4800;
const HOST = `127.0.0.1:${PORT}`;
const OWN = `http://${HOST}`;
const STATE_CHANGING = ['POST', 'PUT', 'PATCH', 'DELETE'];

interface Route {
  readonly method: string;
  readonly url: string;
}

/** The routes of `printRoutes`' tree, with full paths: "│   ├── /stop (POST)" under its parents. */
export function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (!match) continue;
    const depth = match[1]!.length / 4;
    parents.length = depth;
    const path = parents.join('') + match[2]!;
    parents.push(match[2]!);
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url: path });
  }
  return routes;
}

/** A URL that reaches the route: parameters and wildcards filled in. */
function concrete(url: string): string {
  return url
    .replace(/:version\b/g, '1')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*/g, 'x');
}

/** Other local pages: other ports of 127.0.0.1, its other names, look-alike hosts. */
function foreignOrigins(): string[] {
  const ports = FULL
    ? Array.from({ length: 40 }, (_, i) => 1024 + ((i * 1543) % 64_000))
    : [3000, 8080, PORT + 1];
  return [
    ...ports.map((p) => `http://127.0.0.1:${p}`),
    `http://localhost:${PORT}`,
    // (https on the same host and port is the same listener, behind a TLS proxy: own.)
    `http://127.0.0.1:${PORT}.example.com`,
    'null',
  ];
}

let t: TestApp;
let routes: Route[];
beforeAll(async () => {
  t = await testApp();
  routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) =>
    STATE_CHANGING.includes(r.method),
  );
});
afterAll(() => t.close());

async function freshSession(): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: signInLink(t.app) });
  return res.cookies.find((c) => c.name === 'sluice_session')!.value;
}

function send(route: Route, session: string, headers: Record<string, string>) {
  return t.app.inject({
    method: route.method as 'POST',
    url: concrete(route.url),
    headers: { host: HOST, 'content-type': 'application/json', ...headers },
    cookies: { sluice_session: session },
    payload: '{}',
  });
}

describe('CSRF: state-changing routes with the session cookie', () => {
  it('the route table lists them all, including the ones an attacker wants', () => {
    const names = routes.map((r) => `${r.method} ${r.url}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/jobs',
        'POST /api/jobs/:id/stop',
        'POST /api/pipelines',
        'PUT /api/pipelines/:id',
        'DELETE /api/pipelines/:id',
        'POST /api/pipelines/:id/versions/:version/restore',
        'POST /api/sessions/revoke-all',
      ]),
    );
  });

  it('refuse another origin, the null origin and a missing Origin with 403', async () => {
    const session = await freshSession();
    const refusals: string[] = [];
    for (const route of routes) {
      const attempts: Record<string, string>[] = [
        ...foreignOrigins().map((origin) => ({ origin })),
        {},
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of attempts) {
        const res = await send(route, session, headers);
        if (res.statusCode !== 403 || res.json().error.code !== 'forbidden-origin') {
          refusals.push(
            `${route.method} ${route.url} ${JSON.stringify(headers)} → ${res.statusCode}`,
          );
        }
      }
    }
    expect(refusals, 'requests that were not refused').toEqual([]);
    // Nothing was changed: the session the attempts carried still stands.
    const still = await t.app.inject({
      method: 'GET',
      url: '/api/catalog',
      cookies: { sluice_session: session },
    });
    expect(still.statusCode).toBe(200);
  });

  it('accept the server’s own origin', async () => {
    const refused: string[] = [];
    for (const route of routes) {
      // Minting sign-in links needs the token itself, never the cookie (routes/session.test.ts).
      if (`${route.method} ${route.url}` === 'POST /api/session/links') continue;
      // Sign-out and revoke-all end the session: a fresh one for each call.
      const own: Record<string, string>[] = [{ origin: OWN }, { 'sec-fetch-site': 'same-origin' }];
      for (const headers of own) {
        const res = await send(route, await freshSession(), headers);
        // Past the origin check and the session: what remains is the route's own answer.
        if (res.statusCode === 403 || res.statusCode === 401) {
          refused.push(
            `${route.method} ${route.url} ${JSON.stringify(headers)} → ${res.statusCode}`,
          );
        }
      }
    }
    expect(refused, 'own-origin requests that were refused').toEqual([]);
  });
});
