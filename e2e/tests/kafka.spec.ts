// With a broker running: Kafka → window → Kafka built on the canvas, the topic
// picked from the cluster's list and the schema inferred from a sample of it.
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { connect } from '../support/canvas.js';
import {
  expect,
  kafkaBootstrap,
  requireBuiltWebApp,
  SCREENSHOTS,
  test,
} from '../support/fixtures.js';
import { ORDERS_COUNT, ORDERS_TOPIC } from '../support/kafka-broker.js';

test('build Kafka → window → Kafka, picking the topic and accepting the inferred schema', async ({
  page,
  request,
  sluice,
}) => {
  requireBuiltWebApp();
  const bootstrap = kafkaBootstrap();
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).not.toHaveValue('');

  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  const pipelines = page.getByRole('dialog', { name: 'Pipelines' });
  await pipelines
    .getByRole('textbox', { name: 'Name of a new pipeline' })
    .fill('Orders per window');
  await pipelines.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    'Orders per window',
  );
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(0);

  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  const drop = async (label: string, x: number, y: number) =>
    page
      .getByRole('complementary', { name: 'Operators' })
      .getByRole('button', { name: new RegExp(`^Add ${label}:`) })
      .dragTo(canvas, { targetPosition: { x, y } });
  const inspector = page.getByRole('complementary', { name: 'Inspector' });

  // The source: the broker's address, then its topic from the list, with its message count.
  await drop('Kafka source', 120, 140);
  await expect(nodes).toHaveCount(1);
  await nodes.filter({ hasText: 'Kafka source' }).getByText('Kafka source').first().click();
  await expect(inspector.getByRole('heading', { name: 'Kafka source' })).toBeVisible();
  await inspector.getByRole('textbox', { name: /^Bootstrap servers/ }).fill(bootstrap);
  const listed = new RegExp(`^${ORDERS_TOPIC} · ${ORDERS_COUNT} messages · 1 partition$`);
  const topic = inspector
    .getByRole('combobox')
    .filter({ has: page.getByRole('option', { name: listed }) });
  await expect(topic).toBeVisible();
  await topic.selectOption(ORDERS_TOPIC);
  await expect(topic).toHaveValue(ORDERS_TOPIC);

  // Sample, look at the guess, and take it.
  await inspector.getByRole('button', { name: 'Sample & infer schema' }).click();
  const sample = inspector.getByRole('region', { name: 'Sample' });
  await expect(sample).toContainText(`The latest ${ORDERS_COUNT} messages, newest first:`);
  const inferred = sample.getByRole('list', { name: 'Inferred fields' });
  await expect(inferred.getByRole('listitem')).toHaveText([
    'order_id · long',
    'category · string',
    'amount · double',
    'ts · timestamp · event time',
  ]);
  await page.screenshot({ path: join(SCREENSHOTS, 'kafka-source.png') });
  await sample.getByRole('button', { name: 'Use this schema' }).click();
  await expect(sample).toHaveCount(0);

  // The form now has those fields, and event time on ts.
  const fields = inspector.getByRole('group', { name: /^Fields/ });
  await expect(fields.getByRole('textbox', { name: /^Field name/ })).toHaveCount(4);
  expect(await values(fields.getByRole('textbox', { name: /^Field name/ }))).toEqual([
    'order_id',
    'category',
    'amount',
    'ts',
  ]);
  expect(await chosen(fields.getByRole('combobox', { name: /^Type/ }))).toEqual([
    'long',
    'string',
    'double',
    'timestamp',
  ]);
  const eventTime = inspector.getByRole('group', { name: 'Event time' });
  await expect(eventTime.getByRole('textbox', { name: /^Time field/ })).toHaveValue('ts');

  // A 10-second tumbling window counting orders, and a Kafka sink.
  await drop('Window aggregate', 420, 260);
  await drop('Kafka sink', 720, 140);
  await expect(nodes).toHaveCount(3);
  await connect(page, 'Kafka source output out', 'Window aggregate input in');
  await connect(page, 'Window aggregate output out', 'Kafka sink input in');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await page.getByTestId('node-aggregate').getByText('Window aggregate').first().click();
  await expect(inspector.getByRole('heading', { name: 'Window aggregate' })).toBeVisible();
  await inspector.getByRole('combobox', { name: /^Size/ }).fill('10s');

  await nodes.filter({ hasText: 'Kafka sink' }).getByText('Kafka sink').first().click();
  await expect(inspector.getByRole('heading', { name: 'Kafka sink' })).toBeVisible();
  await inspector.getByRole('textbox', { name: /^Bootstrap servers/ }).fill(bootstrap);
  await inspector.getByRole('textbox', { name: /^Topic/ }).fill('orders_per_window');

  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('0 errors');
  await expect(page.locator('.save-state')).toHaveText('Saved');

  // What was saved is what was built.
  const list = await request.get('/api/pipelines', { headers: sluice.auth });
  const id = ((await list.json()) as { id: string; name: string }[]).find(
    (p) => p.name === 'Orders per window',
  )?.id;
  expect(id, 'the pipeline was saved').toBeDefined();
  const saved = await request.get(`/api/pipelines/${id}/export`, { headers: sluice.auth });
  const { nodes: stored } = (await saved.json()) as {
    nodes: { kind: string; config: Record<string, unknown> }[];
  };
  const config = (kind: string) => stored.find((n) => n.kind === kind)?.config;
  expect(config('source.kafka')).toMatchObject({
    bootstrapServers: bootstrap,
    topics: [ORDERS_TOPIC],
    format: 'json',
    schema: [
      { name: 'order_id', type: 'long' },
      { name: 'category', type: 'string' },
      { name: 'amount', type: 'double' },
      { name: 'ts', type: 'timestamp' },
    ],
    eventTime: { field: 'ts' },
  });
  expect(config('window.aggregate')).toMatchObject({
    window: { type: 'tumbling', size: '10s' },
    aggregates: [{ fn: 'count' }],
  });
  expect(config('sink.kafka')).toMatchObject({
    bootstrapServers: bootstrap,
    topic: 'orders_per_window',
  });
});

/** The text of each select's chosen option (the form's option values are indices). */
async function chosen(selects: Locator): Promise<string[]> {
  return selects.evaluateAll((all) =>
    all.map((e) => (e as HTMLSelectElement).selectedOptions[0]?.text ?? ''),
  );
}

async function values(inputs: Locator): Promise<string[]> {
  return inputs.evaluateAll((all) => all.map((e) => (e as HTMLInputElement).value));
}
