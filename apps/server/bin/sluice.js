#!/usr/bin/env node
// The `sluice` command. Runs the built CLI; a source checkout must be built first.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error(
    'sluice is not built yet. Run `npm start` (or `npm run build`) in the repository first.',
  );
  process.exit(2);
}
const { main } = await import(entry.href);
const abort = new AbortController();
const stop = () => {
  // The first Ctrl-C (or SIGTERM) stops cleanly; a second one quits at once.
  if (abort.signal.aborted) process.exit(130);
  abort.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const tty = Boolean(process.stderr.isTTY);
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  signal: abort.signal,
  progress: tty ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : undefined,
});
