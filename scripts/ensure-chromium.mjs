// Makes sure Debian's Chromium is installed for the e2e tests. Playwright
// cannot download its own browsers here (the network reaches only package
// registries), so the tests use /usr/bin/chromium. Node's standard library
// only, like ensure-deps.mjs.
import { existsSync } from 'node:fs';
import { aptInstall } from './ensure-deps.mjs';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  aptInstall(['chromium'], 'The end-to-end tests');
  if (!existsSync(CHROMIUM)) {
    console.error(`\n✖ apt-get installed chromium, but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
