// The bottleneck view on a pipeline with a deliberately slow step: a regular
// expression over a kilobyte of text per record, fed as fast as the generator
// goes. The switch colours each step by how busy it is, the sentence names
// the slow step, and the keyed step after it shows its hottest keys.
import { join } from 'node:path';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';

const NAME = 'Masked messages per category';

test('the bottleneck view names the slow step and shows the hottest keys', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const pipeline = {
    format: 'sluice.pipeline/v1',
    name: NAME,
    nodes: [
      {
        id: 'messages',
        kind: 'source.datagen',
        label: 'Messages',
        position: { x: 0, y: 0 },
        // No rate and no count: as fast as the job takes them, until stopped.
        config: {
          fields: [
            {
              name: 'category',
              type: 'string',
              generator: {
                kind: 'choice',
                values: ['books', 'games', 'music', 'garden'],
                weights: [6, 2, 1, 1],
              },
            },
            { name: 'body', type: 'string', generator: { kind: 'text', length: 1000 } },
          ],
          seed: 5,
        },
      },
      {
        id: 'mask',
        kind: 'transform.map',
        label: 'Mask the vowels',
        position: { x: 300, y: 0 },
        config: {
          fields: [
            { name: 'category', expr: 'category' },
            { name: 'masked', expr: "REGEXP_REPLACE(body, '[aeiouAEIOU]+', '*')" },
          ],
        },
      },
      {
        id: 'per_category',
        kind: 'transform.aggregate',
        label: 'Per category',
        position: { x: 600, y: 0 },
        config: { groupBy: ['category'], aggregates: [{ name: 'messages', fn: 'count' }] },
      },
      {
        id: 'results',
        kind: 'sink.preview',
        label: 'Results',
        position: { x: 900, y: 0 },
        config: {},
      },
    ],
    edges: [
      { id: 'e1', source: 'messages', target: 'mask' },
      { id: 'e2', source: 'mask', target: 'per_category' },
      { id: 'e3', source: 'per_category', target: 'results' },
    ],
  };
  const imported = await request.post('/api/pipelines/import', {
    headers: sluice.auth,
    data: pipeline,
  });
  expect(imported.status()).toBe(201);

  await page.goto(sluice.loginURL);
  await openPipeline(page, NAME);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();

  const toggle = page.getByRole('button', { name: 'Bottlenecks' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('busy-mask')).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // The sentence names the slow step once the figures have come in.
  const sentence = page.getByTestId('bottleneck');
  await expect(sentence).toContainText(
    /^Mask the vowels takes \d+ % of the job's time, more than any other step: the steps before it wait for it/,
    { timeout: 15_000 },
  );
  // Each step shows how busy it is; the slow one the most.
  const busy = async (id: string) =>
    Number(/busy (\d+) %/.exec((await page.getByTestId(`busy-${id}`).textContent()) ?? '')?.[1]);
  await expect(page.getByTestId('busy-messages')).toBeVisible();
  const mask = await busy('mask');
  expect(mask).toBeGreaterThan(await busy('messages'));
  expect(mask).toBeGreaterThan(await busy('per_category'));
  await expect(page.getByTestId('node-mask')).toHaveClass(/heat/);

  // The keyed step: its hottest keys, 'books' (six in ten records) first.
  await page.getByTestId('node-per_category').getByText('Per category').click();
  const keys = page
    .getByRole('complementary', { name: 'Live inspector' })
    .getByRole('region', { name: 'Hottest keys' });
  await expect(keys.getByRole('listitem')).toHaveCount(4);
  await expect(keys.getByRole('listitem').first()).toContainText(/^books\s*(5[0-9]|6[0-9]) %$/);
  await page.screenshot({ path: join(SCREENSHOTS, 'debug-bottleneck.png') });

  // Off again: the colours and the sentence go, and the choice is remembered.
  await page.keyboard.press('Shift+K');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(sentence).toHaveCount(0);
  await expect(page.getByTestId('busy-mask')).toHaveCount(0);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
});
