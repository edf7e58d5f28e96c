// "Why hasn't this window fired?" on a Kafka topic of three partitions, one of
// them silent, read with an idle timeout of an hour: the canvas marks the
// source the job waits for, the window's panel names the silent partition
// and its open windows, the source's panel lists each partition; a record on
// the silent partition lets event time move, and the windows fire.
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

const NAME = 'Readings per sensor, one partition silent';
const BASE = Date.parse('2024-05-01T10:00:00.000Z');

// The times on screen are the browser's: read them in UTC, as BASE is written.
test.use({ timezoneId: 'UTC' });

test('a silent partition: the job is marked, the window says what it waits for, and fires once it has a record', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const bootstrap = kafkaBootstrap();
  const topic = `readings-${randomUUID().slice(0, 8)}`;
  const admin = new KafkaAdmin({ bootstrap });
  try {
    await admin.createTopic(topic, 3);
  } finally {
    await admin.close();
  }
  const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-e2e-event-time' });
  const send = async (partition: number, seconds: number[]) => {
    writer.send(
      seconds.map((s) => ({
        topic,
        partition,
        key: `s${partition}`,
        value: JSON.stringify({
          sensor: `s${partition}`,
          value: s,
          ts: new Date(BASE + s * 1000).toISOString(),
        }),
      })),
    );
    await writer.flush();
  };
  try {
    // A minute of readings on partitions 0 and 1; nothing on partition 2.
    const minute = Array.from({ length: 60 }, (_, s) => s);
    await send(0, minute);
    await send(1, minute);

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
              { name: 'sensor', type: 'string' },
              { name: 'value', type: 'double' },
              { name: 'ts', type: 'timestamp' },
            ],
            // A long idle timeout, to wait for slow producers: a silent partition holds event time back.
            eventTime: { field: 'ts', maxOutOfOrderness: '0s', idleTimeout: '1h' },
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
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect(page.getByText('Live — job running')).toBeVisible();

    // The canvas marks the source the job waits for, once the partition has been silent a while.
    const mark = page.getByTestId('hold-readings');
    await expect(mark).toHaveText('waits for partition 2', { timeout: 20_000 });
    await expect(mark).toHaveAttribute(
      'title',
      new RegExp(`partition 2 of '${topic}', silent for`),
    );

    // The window: its open windows, and the partition it waits for, named.
    await page.getByTestId('node-per_sensor').getByText('Per sensor, 10 s').click();
    const panel = page.getByRole('complementary', { name: 'Live inspector' });
    const eventTime = panel.getByRole('region', { name: 'Event time' });
    const summary = eventTime.getByTestId('event-time-summary');
    await expect(summary).toContainText(
      /^6 windows are open; the first, .*10:00:00–10:00:10, fires when the watermark reaches .*10:00:10\. No watermark has arrived yet\./,
    );
    await expect(summary).toContainText(
      `It waits for partition 2 of '${topic}' (read by Readings), silent for`,
    );
    await expect(summary).toContainText(
      "it stops holding event time back once silent for 1 h 0 min (the source's idle timeout)",
    );
    const windows = eventTime.getByRole('table', { name: 'Open windows' });
    await expect(windows.getByRole('row')).toHaveCount(7);
    await expect(windows.getByRole('row').nth(1)).toContainText(
      /10:00:00–10:00:10\s*2\s*when the watermark moves/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'debug-event-time.png') });

    // The source: each partition, the silent one holding event time back.
    await page.getByTestId('node-readings').getByText('Readings').click();
    const partitions = panel.getByRole('table', { name: 'Partitions' });
    await expect(partitions.getByRole('columnheader').first()).toHaveText(`Partition of ${topic}`);
    const row = (n: number) =>
      partitions
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: String(n), exact: true }) });
    await expect(row(2)).toContainText('holds it back');
    // The latest event time less 1 ms: Flink's bounded-out-of-orderness watermark.
    await expect(row(0)).toContainText('10:00:58');
    await expect(row(1)).not.toContainText('holds it back');

    // A record on partition 2, as late in event time as the others: event time moves, the windows fire.
    await send(2, [59]);
    await expect(mark).toHaveCount(0, { timeout: 15_000 });
    await page.getByTestId('node-per_sensor').getByText('Per sensor, 10 s').click();
    await expect(summary).toContainText(/^1 window is open; the first, .*10:00:50–10:01:00/);
    await expect(page.getByTestId('edge-watermark-e1')).toHaveText('wm 10:00:58');
  } finally {
    await writer.close();
  }
});
