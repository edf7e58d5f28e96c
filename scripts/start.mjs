// The one command that starts Sluice: `npm start`.
// Installs what is missing, builds, and starts the server on 127.0.0.1 with
// its data in .sluice/. The first start adds the example pipelines.
// Arguments after `--` go to `sluice start` (e.g. `npm start -- --port 5000`).
import { ensureDeps, onProjectNode, run } from './ensure-deps.mjs';

ensureDeps();
onProjectNode();
console.log(`› Node.js ${process.version}`);
console.log('› Building');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
console.log('› Starting Sluice');
// Ctrl-C reaches the server too; it closes its jobs and connections, then this script ends.
process.on('SIGINT', () => {});
run('node', ['apps/server/bin/sluice.js', 'start', ...process.argv.slice(2)]);
