// A console step at full speed: its latest lines show below the canvas, limited
// (the records left out are counted), instead of only flooding a terminal.
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';

const NAME = 'Numbers to the console';

test("shows a console step's latest lines below the canvas, with what was left out", async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: {
      format: 'sluice.pipeline/v1',
      name: NAME,
      nodes: [
        {
          id: 'numbers',
          kind: 'source.datagen',
          position: { x: 0, y: 0 },
          config: { fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence' } }] },
        },
        { id: 'print', kind: 'sink.console', position: { x: 300, y: 0 }, config: {} },
      ],
      edges: [{ id: 'e1', source: 'numbers', target: 'print' }],
    },
  });
  expect(imported.status()).toBe(201);

  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();

  const results = page.getByRole('region', { name: 'Results' });
  await expect(results.getByRole('log', { name: 'Console output' })).toContainText('{"n":');
  await expect(results).toContainText(/not printed \(at most 20 lines a second\)/);
  await page.screenshot({ path: join(SCREENSHOTS, 'live-console.png') });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
});
