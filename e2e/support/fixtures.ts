// The tests' view of the server global setup started: its address, the login
// link it printed, and the token in that link for calls made outside the browser.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { BASE_URL_VAR, KAFKA_BOOTSTRAP_VAR, LOGIN_URL_VAR } from './env.js';
import { REPO_ROOT } from './sluice-server.js';

export { expect } from '@playwright/test';

export interface Sluice {
  readonly baseURL: string;
  readonly loginURL: string;
  readonly token: string;
  /** `Authorization` header for API calls made by the test itself, not the page. */
  readonly auth: { readonly authorization: string };
}

function sluiceFromEnv(): Sluice {
  const baseURL = process.env[BASE_URL_VAR];
  const loginURL = process.env[LOGIN_URL_VAR];
  if (!baseURL || !loginURL) {
    throw new Error(
      `${BASE_URL_VAR} and ${LOGIN_URL_VAR} are not set: run the tests with \`npx playwright test -c e2e/playwright.config.ts\`, whose global setup starts the server.`,
    );
  }
  const token = new URL(loginURL).searchParams.get('token') ?? '';
  return { baseURL, loginURL, token, auth: { authorization: `Bearer ${token}` } };
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
  sluice: async ({}, use) => use(sluiceFromEnv()),
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  baseURL: async ({}, use) => use(sluiceFromEnv().baseURL),
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
