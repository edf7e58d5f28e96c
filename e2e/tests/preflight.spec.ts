// Checked before a deploy, and said on the node: a file source whose file is
// not in the data directory shows the problem on its node and in the problems
// list while it is being edited, Deploy waits; once the file is copied in, the
// problem goes by itself (no edit needed) and the job deploys.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, mintLoginURL, requireBuiltWebApp, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import {
  type RestartableSluiceServer,
  startRestartableSluiceServer,
} from '../support/sluice-server.js';

const NAME = 'Orders from a file not there yet';

let server: RestartableSluiceServer;
test.beforeAll(async () => {
  server = await startRestartableSluiceServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('a missing file is said on its node before deploying, and clears once the file is there', async ({
  page,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const pipeline = {
    format: 'sluice.pipeline/v1',
    name: NAME,
    nodes: [
      {
        id: 'orders',
        kind: 'source.file',
        label: 'Orders file',
        position: { x: 0, y: 0 },
        config: {
          path: 'incoming/orders.jsonl',
          format: 'jsonl',
          schema: [
            { name: 'id', type: 'long' },
            { name: 'amount', type: 'double' },
          ],
        },
      },
      { id: 'out', kind: 'sink.preview', position: { x: 300, y: 0 }, config: { capacity: 10 } },
    ],
    edges: [{ id: 'e', source: 'orders', target: 'out' }],
  };
  const imported = await fetch(`${server.baseURL}/api/pipelines/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(pipeline),
  });
  expect(imported.status).toBe(201);

  await page.goto(await mintLoginURL(server));
  await openPipeline(page, NAME);
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('The file cannot be read');
  await expect(problems).toContainText('incoming/orders.jsonl');
  const node = page.locator('.react-flow__node').filter({ hasText: 'Orders file' });
  await expect(node.locator('.badge-error')).toHaveText('1');
  await expect(page.getByRole('button', { name: 'Deploy' })).toBeDisabled();

  const incoming = join(server.dataDir, 'files', 'incoming');
  await mkdir(incoming, { recursive: true });
  await writeFile(join(incoming, 'orders.jsonl'), '{"id":1,"amount":5}\n');
  // Checked again within a few seconds while something is missing.
  await expect(problems).not.toContainText('The file cannot be read', { timeout: 15_000 });
  await expect(node.locator('.badge-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText(/Live — job (running|finished)/)).toBeVisible();
});
