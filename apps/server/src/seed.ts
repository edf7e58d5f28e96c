// A first start comes with the example pipelines in the store and their data
// files in place, so a newcomer can deploy one without any external service.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPipeline } from '@sluice/shared';
import type { PipelineStore } from './storage/pipeline-store.js';

/** The repository's examples folder, next to apps/ (from src/ or dist/ alike). */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url));
const MARKER = '.examples-added';

/** The example shown first: it runs forever on generated data. */
export const FIRST_EXAMPLE = 'orders-per-category.json';

/**
 * Adds the examples once per data directory (a marker file remembers it, so
 * deleting them is respected); returns how many pipelines were added.
 */
export function seedExamples(
  store: PipelineStore,
  dataDir: string,
  filesDir: string,
  examplesDir = EXAMPLES_DIR,
): number {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker) || !existsSync(examplesDir)) return 0;
  const files = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .sort(
      (a, b) => Number(b === FIRST_EXAMPLE) - Number(a === FIRST_EXAMPLE) || a.localeCompare(b),
    );
  let added = 0;
  // Reverse so the first example is saved last: the list shows the newest first.
  for (const file of files.reverse()) {
    const { pipeline } = readPipeline(readFileSync(join(examplesDir, file), 'utf8'));
    if (!pipeline) continue;
    store.create(pipeline);
    added++;
  }
  const data = join(examplesDir, 'data');
  if (existsSync(data)) {
    mkdirSync(filesDir, { recursive: true });
    for (const file of readdirSync(data)) {
      if (!existsSync(join(filesDir, file))) copyFileSync(join(data, file), join(filesDir, file));
    }
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return added;
}
