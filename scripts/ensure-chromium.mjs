// Makes sure Debian's Chromium is installed for the e2e tests. Playwright
// cannot download its own browsers here (the network reaches only package
// registries), so the tests use /usr/bin/chromium. Node's standard library
// only, like ensure-deps.mjs.
import { existsSync } from 'node:fs';
import { run } from './ensure-deps.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const INSTALL = ['install', '-y', '--no-install-recommends', 'chromium'];

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `\n✖ The e2e tests need Chromium at ${CHROMIUM}. Install it with:\n\n    sudo apt-get update && sudo apt-get ${INSTALL.join(' ')}\n`,
    );
    process.exit(1);
  }
  console.log(`› Installing Chromium for the e2e tests (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', INSTALL, { env });
  if (!existsSync(CHROMIUM)) {
    console.error(`\n✖ apt-get installed chromium, but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
