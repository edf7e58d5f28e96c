// Writes the table of docs/engine.md that says which edits keep, migrate or
// drop each kind's state, from the built catalog (run by `npm run docs`).
import { readFileSync, writeFileSync } from 'node:fs';
import { spliceUpgrades } from '../apps/server/dist/cli/upgrades-doc.js';

const file = new URL('../docs/engine.md', import.meta.url);
writeFileSync(file, spliceUpgrades(readFileSync(file, 'utf8')));
