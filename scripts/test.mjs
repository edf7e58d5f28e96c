// The one command that runs every test: `npm test`.
// Installs what the tests need, then lints, type-checks, builds and runs the
// unit and integration tests. Extra arguments go to Vitest.
import { ensureDeps, run } from './ensure-deps.mjs';

ensureDeps();
const extra = process.argv.slice(2);
console.log('› Lint and format check (biome)');
run('npx', ['biome', 'ci', '.']);
console.log('› Type check and build (turbo)');
run('npx', ['turbo', 'run', 'typecheck', 'build', '--output-logs=errors-only']);
console.log('› Unit and integration tests (vitest)');
run('npx', ['vitest', 'run', ...extra]);
