// The tests' view of the server global setup started: its address, the token
// (read from the data directory) for calls made outside the browser, and a
// fresh one-time sign-in link per test, minted with the token as a script would.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { BASE_URL_VAR, KAFKA_BOOTSTRAP_VAR, LOGIN_URL_VAR, TOKEN_VAR } from './env.js';
import { REPO_ROOT } from './sluice-server.js';

export { expect } from '@playwright/test';

export interface Sluice {
  readonly baseURL: string;
  /** A one-time sign-in link made for this test: it signs one browser in, once. */
  readonly loginURL: string;
  /** The link `sluice start` printed; one test of the run may use it. */
  readonly printedLoginURL: string;
  readonly token: string;
  /** `Authorization` header for API calls made by the test itself, not the page. */
  readonly auth: { readonly authorization: string };
  /** Another one-time sign-in link, as `POST /api/session/links` makes it. */
  newLoginURL(): Promise<string>;
}

interface Server {
  readonly baseURL: string;
  readonly printedLoginURL: string;
  readonly token: string;
}

function serverFromEnv(): Server {
  const baseURL = process.env[BASE_URL_VAR];
  const printedLoginURL = process.env[LOGIN_URL_VAR];
  const token = process.env[TOKEN_VAR];
  if (!baseURL || !printedLoginURL || !token) {
    throw new Error(
      `${BASE_URL_VAR}, ${LOGIN_URL_VAR} and ${TOKEN_VAR} are not set: run the tests with \`npx playwright test -c e2e/playwright.config.ts\`, whose global setup starts the server.`,
    );
  }
  return { baseURL, printedLoginURL, token };
}

/** A one-time sign-in link for a server, made with its token as `POST /api/session/links` makes it. */
export async function mintLoginURL(server: {
  readonly baseURL: string;
  readonly token: string;
}): Promise<string> {
  const response = await fetch(`${server.baseURL}/api/session/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (response.status !== 201) {
    throw new Error(
      `POST /api/session/links answered ${response.status}, not 201: ${await response.text()}`,
    );
  }
  return ((await response.json()) as { url: string }).url;
}

async function sluiceFromEnv(): Promise<Sluice> {
  const server = serverFromEnv();
  return {
    ...server,
    loginURL: await mintLoginURL(server),
    auth: { authorization: `Bearer ${server.token}` },
    newLoginURL: () => mintLoginURL(server),
  };
}

export const WEB_INDEX = join(REPO_ROOT, 'apps/web/dist/index.html');

/** Fails the test, saying why, when the web app has not been built: the server would serve /docs instead. */
export function requireBuiltWebApp(): void {
  if (!existsSync(WEB_INDEX)) {
    throw new Error(
      `The web app is not built (${WEB_INDEX} is missing), so the server has no canvas to serve. Run \`npx turbo run build\` first.`,
    );
  }
}

export const test = base.extend<{ sluice: Sluice }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  sluice: async ({}, use) => use(await sluiceFromEnv()),
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  baseURL: async ({}, use) => use(serverFromEnv().baseURL),
});

/** The bootstrap address of the Kafka broker global setup started. */
export function kafkaBootstrap(): string {
  const bootstrap = process.env[KAFKA_BOOTSTRAP_VAR];
  if (!bootstrap) {
    throw new Error(`${KAFKA_BOOTSTRAP_VAR} is not set: global setup starts the Kafka broker.`);
  }
  return bootstrap;
}

export const SCREENSHOTS = join(REPO_ROOT, 'e2e/screenshots');
