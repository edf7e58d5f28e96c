// A pipeline on Flink from the canvas: a server started with --flink pointing
// at a local Flink cluster of the test's own (scripts/flink/cluster.mjs, as
// `npm run flink`), and the run's Kafka broker. Choose "Flink: local" where
// the pipeline runs, see its Flink SQL and a node Flink refuses marked on the
// canvas, deploy, see the Flink job's figures on the nodes, stop it with a
// savepoint.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { KafkaAdmin, KafkaWriter } from '@sluice/engine';
import {
  expect,
  kafkaBootstrap,
  mintLoginURL,
  requireBuiltWebApp,
  SCREENSHOTS,
  test,
} from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';
import {
  REPO_ROOT,
  type RestartableSluiceServer,
  startRestartableSluiceServer,
} from '../support/sluice-server.js';

interface Flink {
  readonly restURL: string;
  readonly gatewayURL: string;
  stop(): Promise<void>;
}

const NAME = 'Orders per category on Flink';
const BASE = Date.parse('2024-05-01T10:00:00Z');
let flink: Flink;
let server: RestartableSluiceServer;
const suffix = `${Date.now()}`;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  requireBuiltWebApp();
  const url = pathToFileURL(join(REPO_ROOT, 'scripts/flink/cluster.mjs')).href;
  const { startFlink } = (await import(url)) as { startFlink(): Promise<Flink> };
  flink = await startFlink();
  server = await startRestartableSluiceServer({
    kafka: kafkaBootstrap(),
    flink: `local=${flink.gatewayURL},${flink.restURL}`,
  });
  const bootstrap = kafkaBootstrap();
  const admin = new KafkaAdmin({ bootstrap });
  await admin.createTopic(`flink-orders-${suffix}`, 1);
  await admin.createTopic(`flink-totals-${suffix}`, 1);
  await admin.close();
  const writer = new KafkaWriter({ bootstrap, clientId: 'e2e-flink' });
  writer.send(
    Array.from({ length: 60 }, (_, i) => ({
      topic: `flink-orders-${suffix}`,
      value: JSON.stringify({
        category: ['books', 'games', 'music'][i % 3],
        amount: 5 + (i % 30),
        ts: new Date(BASE + i * 1000).toISOString(),
      }),
    })),
  );
  await writer.flush();
  await writer.close();
});

test.afterAll(async () => {
  await server?.stop();
  await flink?.stop();
});

/** The page at 1024×700 and 1440×900, light and dark, then as it was. */
async function shots(page: Page, name: string) {
  const theme = page.getByRole('button', { name: 'Dark theme' });
  for (const dark of [false, true]) {
    if (dark) await theme.click();
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({
        path: join(SCREENSHOTS, `${name}-${width}x${height}-${dark ? 'dark' : 'light'}.png`),
      });
    }
  }
  await theme.click();
  await page.setViewportSize({ width: 1280, height: 800 });
}

function pipeline() {
  const bootstrap = kafkaBootstrap();
  return {
    format: 'sluice.pipeline/v1',
    name: NAME,
    settings: { checkpoints: { interval: '2s' } },
    nodes: [
      {
        id: 'orders',
        kind: 'source.kafka',
        label: 'Orders',
        position: { x: 0, y: 0 },
        config: {
          bootstrapServers: bootstrap,
          topics: [`flink-orders-${suffix}`],
          group: `e2e-flink-${suffix}`,
          format: 'json',
          schema: [
            { name: 'category', type: 'string' },
            { name: 'amount', type: 'double' },
            { name: 'ts', type: 'timestamp' },
          ],
          eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
        },
      },
      {
        id: 'big',
        kind: 'transform.filter',
        label: 'Big orders',
        position: { x: 300, y: 0 },
        config: { where: 'amount > 10' },
      },
      {
        id: 'per_category',
        kind: 'window.aggregate',
        label: 'Per category, 10 s',
        position: { x: 600, y: 0 },
        config: {
          window: { type: 'tumbling', size: '10s' },
          groupBy: ['category'],
          aggregates: [{ name: 'orders', fn: 'count' }],
        },
      },
      {
        id: 'totals',
        kind: 'sink.kafka',
        label: 'Totals',
        position: { x: 900, y: 0 },
        config: {
          bootstrapServers: bootstrap,
          topic: `flink-totals-${suffix}`,
          format: 'json',
          delivery: 'at-least-once',
        },
      },
      {
        id: 'preview',
        kind: 'sink.preview',
        label: 'Preview',
        position: { x: 900, y: 200 },
        config: {},
      },
    ],
    edges: [
      { id: 'e1', source: 'orders', target: 'big' },
      { id: 'e2', source: 'big', target: 'per_category' },
      { id: 'e3', source: 'per_category', target: 'totals' },
      { id: 'e4', source: 'per_category', target: 'preview' },
    ],
  };
}

test('choose Flink on the canvas, deploy there, see its figures on the nodes, stop with a savepoint', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  const imported = await fetch(`${server.baseURL}/api/pipelines/import`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(pipeline()),
  });
  expect(imported.status).toBe(201);

  await page.goto(await mintLoginURL(server));
  await openPipeline(page, NAME);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByLabel('Runs on').selectOption({ label: 'Flink: local' });

  // The preview sink cannot run on Flink: the canvas marks it, and the SQL says so.
  const sql = inspector.locator('details.flink-sql');
  await expect(sql.locator('summary')).toContainText('1 step cannot run on Flink');
  const preview = page.locator('.react-flow__node', { hasText: 'Preview' });
  await expect(preview.locator('.badge-error')).toHaveAttribute('title', /^1 error/);
  await page.screenshot({ path: join(SCREENSHOTS, 'flink-refused-node.png') });

  // Without it, the pipeline compiles: its SQL is there to read.
  await preview.click();
  await page.keyboard.press('Delete');
  await expect(preview).toHaveCount(0);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(sql.locator('summary')).toContainText('compiles');
  await sql.locator('summary').click();
  await expect(inspector.getByTestId('flink-sql')).toContainText(
    'FROM TABLE(TUMBLE(TABLE `big`, DESCRIPTOR(`ts`), INTERVAL',
  );
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await shots(page, 'flink-editing');

  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible({ timeout: 60_000 });
  // The figures come from Flink's REST API, on the nodes they belong to.
  // The filter runs chained to the source in one Flink vertex: each says so.
  await expect(page.getByTestId('live-orders')).toContainText('on Flink, chained with 1', {
    timeout: 60_000,
  });
  // 60 orders read, the windows they close written: the sink's own figures, from Flink.
  await expect(page.getByTestId('live-totals')).toContainText(/[1-9]\d* received/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('live-big')).toContainText('on Flink, chained with 1');
  // So is the window with the sink's writer.
  await expect(page.getByTestId('live-per_category')).toContainText('on Flink, chained with 1');
  await expect(page.getByTestId('runs-on-flink')).toContainText("the Flink cluster 'local'");
  await expect(page.getByTestId('job-flink')).toHaveText(/^on Flink 'local'/);
  await page.screenshot({ path: join(SCREENSHOTS, 'flink-live.png') });
  await shots(page, 'flink-live');

  const jobs = (await (await fetch(`${server.baseURL}/api/jobs`, { headers: auth })).json()) as {
    id: string;
    flink?: { cluster: string; jobId?: string; savepoint?: string };
  }[];
  const job = jobs[0]!;
  expect(job.flink).toMatchObject({ cluster: 'local', jobId: expect.any(String) });

  // A chained step's panel names the steps it shares its vertex with, and the vertex's load.
  await page.locator('.react-flow__node', { hasText: 'Big orders' }).click();
  await expect(inspector.getByTestId('flink-vertex')).toContainText(
    'Flink chains this step with Orders into one task',
  );
  await expect(inspector.getByTestId('flink-vertex')).toContainText(/Busy \d+ % of the time/);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('job-flink')).toHaveText(/^savepoint kept on Flink · can resume/);
  const after = (await (
    await fetch(`${server.baseURL}/api/jobs/${job.id}`, { headers: auth })
  ).json()) as { status: string; flink?: { savepoint?: string } };
  expect(after.status).toBe('stopped');
  expect(after.flink?.savepoint).toMatch(/savepoint-/);

  // Resume submits it again from that savepoint.
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(() => page.getByTestId('job-flink').getAttribute('title'))
    .toContain(`started from the savepoint ${after.flink!.savepoint}`);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible({ timeout: 60_000 });
});
