// The one command that starts Sluice: `npm start`.
// Installs what is missing and builds. The server and the canvas are not
// there yet, so for now it checks the example pipelines with the `sluice`
// command line and shows what that command can do.
import { readdirSync } from 'node:fs';
import { ensureDeps, root, run } from './ensure-deps.mjs';

ensureDeps();
console.log('› Building');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
const examples = readdirSync(`${root}/examples`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => `examples/${f}`);
console.log('› Checking the example pipelines');
run('node', ['apps/server/bin/sluice.js', 'validate', ...examples]);
run('node', ['apps/server/bin/sluice.js', 'help']);
console.log('Sluice is built. Try: npx sluice validate examples/orders-per-category.json');
