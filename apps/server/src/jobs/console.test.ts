// A console sink in a real worker: its latest lines reach the server (and so
// the canvas), limited, while the job runs and after it has ended.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsoleView } from '@sluice/shared';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { JobManager } from './manager.js';

let dataDir: string;
let manager: JobManager | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sluice-console-'));
});
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

it("shows a full-speed console sink's latest lines, limited, through the job's handle", async () => {
  manager = new JobManager({ dataDir });
  const job = manager.start({
    format: 'sluice.pipeline/v1',
    name: 'Loud',
    nodes: [
      {
        id: 'gen',
        kind: 'source.datagen',
        config: { fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence' } }] },
      },
      { id: 'print', kind: 'sink.console', config: {} },
    ],
    edges: [{ id: 'e1', source: 'gen', target: 'print' }],
  });
  let view: ConsoleView | null = null;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    view = (await job.inspect('print')) as ConsoleView | null;
    if (view && view.omitted > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(view?.lines.length).toBeGreaterThan(0);
  expect(view?.lines.length).toBeLessThanOrEqual(100);
  expect(view?.lines[0]).toMatch(/^\{"n":\d+\}$/);
  expect(view?.omitted).toBeGreaterThan(0);
  await manager.stop(job.id);
  const final = (await job.inspect('print')) as ConsoleView;
  expect(final.total).toBeGreaterThanOrEqual(view!.total);
  expect(final.lines.length).toBeGreaterThan(0);
}, 40_000);
