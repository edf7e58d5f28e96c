// Generated readings → running counts per category → a PostgreSQL table,
// built on the canvas: the sink's form names the server, the table and the
// key to upsert by, and the password only by its secret's name; deployed, the
// table holds one row per category, its counts growing, and the password is
// nowhere on the page or in the saved pipeline.
import { join } from 'node:path';
import pg from 'pg';
import { connect } from '../support/canvas.js';
import { POSTGRES_VAR } from '../support/env.js';
import { expect, requireBuiltWebApp, SCREENSHOTS, test } from '../support/fixtures.js';
import { PASSWORD_SECRET } from '../support/postgres-server.js';

const NAME = 'Counts per category in PostgreSQL';

interface Server {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

function postgres(): Server {
  const text = process.env[POSTGRES_VAR];
  if (!text) throw new Error(`${POSTGRES_VAR} is not set: global setup starts PostgreSQL.`);
  return JSON.parse(text) as Server;
}

test('build generator → running counts → PostgreSQL on the canvas; the table keeps one row per key', async ({
  page,
  request,
  sluice,
}) => {
  test.setTimeout(60_000);
  requireBuiltWebApp();
  const server = postgres();
  const table = `e2e_counts_${Date.now().toString(36)}`;
  await page.goto(sluice.loginURL);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).not.toHaveValue('');
  await page.getByRole('button', { name: 'Pipelines', exact: true }).click();
  const pipelines = page.getByRole('dialog', { name: 'Pipelines' });
  await pipelines.getByRole('textbox', { name: 'Name of a new pipeline' }).fill(NAME);
  await pipelines.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(NAME);
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(0);

  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  const drop = async (label: string, x: number, y: number) =>
    page
      .getByRole('complementary', { name: 'Operators' })
      .getByRole('button', { name: new RegExp(`^Add ${label}:`) })
      .dragTo(canvas, { targetPosition: { x, y } });
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await drop('Data generator', 120, 140);
  await drop('Running aggregate', 420, 140);
  await drop('PostgreSQL sink', 720, 140);
  await expect(nodes).toHaveCount(3);
  await connect(page, 'Data generator output out', 'Running aggregate input in');
  await connect(page, 'Running aggregate output out', 'PostgreSQL sink input in');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // Counts per category (the generator's categories a, b and c).
  await nodes
    .filter({ hasText: 'Running aggregate' })
    .getByText('Running aggregate')
    .first()
    .click();
  await expect(inspector.getByRole('heading', { name: 'Running aggregate' })).toBeVisible();
  await inspector
    .getByRole('group', { name: /^Group by/ })
    .getByText('category')
    .click();

  // The sink: where the server is, the table, the key; the password by its secret's name only.
  await nodes.filter({ hasText: 'PostgreSQL sink' }).getByText('PostgreSQL sink').first().click();
  await expect(inspector.getByRole('heading', { name: 'PostgreSQL sink' })).toBeVisible();
  await expect(inspector.getByRole('textbox', { name: /^Host/ })).toHaveValue('127.0.0.1');
  await inspector.getByRole('spinbutton', { name: /^Port/ }).fill(String(server.port));
  await inspector.getByRole('textbox', { name: /^Database/ }).fill(server.database);
  await inspector.getByRole('textbox', { name: /^User/ }).fill(server.user);
  await expect(inspector.getByRole('textbox', { name: /^Password secret/ })).toHaveValue(
    PASSWORD_SECRET,
  );
  await inspector.getByRole('textbox', { name: /^Table/ }).fill(table);
  await inspector
    .getByRole('group', { name: /^Upsert by/ })
    .getByText('category')
    .click();

  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('0 errors');
  await expect(page.locator('.save-state')).toHaveText('Saved');

  await page.getByRole('button', { name: 'Deploy' }).click();
  await expect(page.getByText('Live — job running')).toBeVisible();

  const written = page
    .getByRole('complementary', { name: 'Live inspector' })
    .getByRole('region', { name: 'Written' });
  const client = new pg.Client(server);
  await client.connect();
  try {
    const counts = async () =>
      (
        await client
          .query<{ category: string; records: string }>(
            `SELECT category, records FROM ${table} ORDER BY category`,
          )
          .catch(() => ({ rows: [] }))
      ).rows;
    // Exactly once: what came before each checkpoint (every 10 s) is written when it is durable.
    await nodes.filter({ hasText: 'PostgreSQL sink' }).getByText('PostgreSQL sink').first().click();
    await expect(written).toContainText('At the next checkpoint');
    // One row per category, upserted as the counts grow.
    await expect
      .poll(async () => (await counts()).map((r) => r.category), { timeout: 20_000 })
      .toEqual(['a', 'b', 'c']);
    const first = await counts();
    await expect
      .poll(async () => total(await counts()), { timeout: 20_000 })
      .toBeGreaterThan(total(first));
    expect(await counts()).toHaveLength(3);
  } finally {
    await client.end();
  }
  await expect(written).toContainText(/Rows written\s*[1-9]/);
  await expect(nodes.filter({ hasText: 'PostgreSQL sink' })).toContainText(/[1-9][\d,]* written/);
  await page.screenshot({ path: join(SCREENSHOTS, 'postgres-sink.png') });

  // The password is in no page and no saved pipeline: only its secret's name is.
  expect(await page.content()).not.toContain(server.password);
  const list = await request.get('/api/pipelines', { headers: sluice.auth });
  const id = ((await list.json()) as { id: string; name: string }[]).find(
    (p) => p.name === NAME,
  )?.id;
  const saved = await (
    await request.get(`/api/pipelines/${id}/export`, { headers: sluice.auth })
  ).text();
  expect(saved).toContain(PASSWORD_SECRET);
  expect(saved).not.toContain(server.password);

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText('Job stopped')).toBeVisible();
});

function total(rows: { records: string }[]): number {
  return rows.reduce((sum, r) => sum + Number(r.records), 0);
}
