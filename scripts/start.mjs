// The one command that starts Sluice: `npm start`.
// Installs what is missing and builds. The server and the canvas are not
// there yet, so for now it checks the example pipelines and runs one on the
// embedded engine, with the data directory .sluice/.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { ensureDeps, root, run } from './ensure-deps.mjs';

ensureDeps();
console.log('› Building');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
const examples = readdirSync(`${root}/examples`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => `examples/${f}`);
console.log('› Checking the example pipelines');
run('node', ['apps/server/bin/sluice.js', 'validate', ...examples]);

const dataDir = `${root}/.sluice`;
if (!existsSync(`${dataDir}/orders.jsonl`)) cpSync(`${root}/examples/data`, dataDir, { recursive: true });
console.log('› Running examples/revenue-per-country.json on the embedded engine');
run('node', ['apps/server/bin/sluice.js', 'run', 'examples/revenue-per-country.json', '--data-dir', '.sluice']);
console.log(`
Results: .sluice/out/per_minute.jsonl (late orders: .sluice/out/late.jsonl)

Next: npx sluice run examples/orders-per-category.json   (runs until Ctrl-C)
      npx sluice help`);
