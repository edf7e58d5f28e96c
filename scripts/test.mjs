// The one command that runs every test: `npm test`.
// Installs what the tests need, then lints, type-checks, builds, runs the
// unit and integration tests, then the end-to-end tests in Chromium.
// Extra arguments go to Vitest.
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureDeps, onProjectNode, run } from './ensure-deps.mjs';
import { ensureJava } from './ensure-java.mjs';

// Playwright must never try to download a browser: it uses Debian's Chromium.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
ensureDeps();
onProjectNode();
console.log(`› Node.js ${process.version}`);
const extra = process.argv.slice(2);
console.log('› Lint and format check (biome)');
run('npx', ['biome', 'ci', '.']);
console.log('› Benchmark tables against their JSON (docs/bench)');
run(process.execPath, ['scripts/bench-docs.mjs', '--check']);
console.log('› Type check and build (turbo)');
run('npx', ['turbo', 'run', 'typecheck', 'build', '--output-logs=errors-only']);
ensureJava();
console.log('› Unit and integration tests (vitest)');
run('npx', ['vitest', 'run', ...extra]);
console.log('› End-to-end tests (Playwright, Chromium)');
ensureChromium();
run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts']);
