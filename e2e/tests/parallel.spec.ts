// A job of two instances, chosen on the canvas: the pipeline's Instances set
// to 2, the job deploys as two workers each reading half of a 4-partition
// topic, the job panel lists each instance's partitions and speed, and the
// results are every window, as one instance writes them.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { KafkaAdmin, KafkaWriter } from '@sluice/engine';
import {
  expect,
  kafkaBootstrap,
  requireBuiltWebApp,
  SCREENSHOTS,
  test,
} from '../support/fixtures.js';
import { openPipeline } from '../support/pipelines.js';

const NAME = 'Readings per sensor, in two instances';
const BASE = Date.parse('2024-05-01T10:00:00.000Z');
const SENSORS = 8;
const PARTITIONS = 4;

test('Instances 2 on the canvas: the job runs as two, each with its partitions, and writes every window', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(90_000);
  requireBuiltWebApp();
  const bootstrap = kafkaBootstrap();
  const topic = `readings-${randomUUID().slice(0, 8)}`;
  const admin = new KafkaAdmin({ bootstrap });
  try {
    await admin.createTopic(topic, PARTITIONS);
  } finally {
    await admin.close();
  }
  const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-e2e-parallel' });
  try {
    // A minute of readings of 8 sensors, keyed by sensor; then one far-off reading per partition.
    const messages: { topic: string; key: string; value: string; partition?: number }[] = [];
    for (let s = 0; s < 60; s++) {
      for (let n = 0; n < SENSORS; n++) {
        const ts = new Date(BASE + s * 1000).toISOString();
        messages.push({ topic, key: `s${n}`, value: JSON.stringify({ value: s, ts }) });
      }
    }
    const far = new Date(BASE + 3_600_000).toISOString();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      messages.push({ topic, partition, key: 'end', value: JSON.stringify({ value: 0, ts: far }) });
    }
    writer.send(messages);
    await writer.flush();

    const pipeline = {
      format: 'sluice.pipeline/v1',
      name: NAME,
      nodes: [
        {
          id: 'readings',
          kind: 'source.kafka',
          label: 'Readings',
          position: { x: 0, y: 0 },
          config: {
            bootstrapServers: bootstrap,
            topics: [topic],
            group: `sluice-e2e-${topic}`,
            startFrom: 'earliest',
            format: 'json',
            schema: [
              { name: 'value', type: 'double' },
              { name: 'ts', type: 'timestamp' },
            ],
            keyField: 'sensor',
            eventTime: { field: 'ts', maxOutOfOrderness: '0s' },
          },
        },
        {
          id: 'per_sensor',
          kind: 'window.aggregate',
          label: 'Per sensor, 10 s',
          position: { x: 300, y: 0 },
          config: {
            window: { type: 'tumbling', size: '10s' },
            groupBy: ['sensor'],
            aggregates: [{ name: 'readings', fn: 'count' }],
          },
        },
        {
          id: 'results',
          kind: 'sink.preview',
          label: 'Results',
          position: { x: 600, y: 0 },
          config: {},
        },
      ],
      edges: [
        { id: 'e1', source: 'readings', target: 'per_sensor' },
        { id: 'e2', source: 'per_sensor', target: 'results' },
      ],
    };
    const imported = await request.post('/api/pipelines/import', {
      headers: sluice.auth,
      data: pipeline,
    });
    expect(imported.status()).toBe(201);

    await page.goto(sluice.loginURL);
    await openPipeline(page, NAME);
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByLabel('Instances').selectOption('2');
    await expect(inspector).toContainText('Each instance reads its share of the Kafka partitions');
    await expect(page.locator('.react-flow__node .badge-error')).toHaveCount(0);
    await expect(page.getByText('Saved', { exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect(page.getByText('Live — job running')).toBeVisible();
    // Every window of every sensor: 6 windows × 8 sensors, from both instances together.
    const results = page.getByRole('region', { name: 'Results' });
    const rows = results.getByRole('table', { name: 'Preview results' }).locator('tbody tr');
    await expect(rows).toHaveCount(6 * SENSORS, { timeout: 30_000 });

    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    const panel = page.getByRole('complementary', { name: 'Live inspector' });
    const instances = panel.getByRole('region', { name: 'Instances' });
    await expect(instances.getByTestId('instance-1').locator('td').nth(1)).toHaveText('0, 2');
    await expect(instances.getByTestId('instance-2').locator('td').nth(1)).toHaveText('1, 3');
    // The job's figures are both instances' summed: every message read once.
    await expect(panel.locator('dl.facts').first()).toContainText(`Read${messages.length} records`);
    await page.screenshot({ path: join(SCREENSHOTS, 'parallel-instances.png') });
  } finally {
    await writer.close();
  }
});
