// `sluice test`: the cases saved beside a pipeline replayed through it, with
// their scripted watermarks; passing while the pipeline gives the same rows,
// failing with the difference after a change that alters them, and --update
// taking the new rows as expected.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIO, main } from './main.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sluice-test-'));
  await cp(join(root, 'examples/orders-per-category.json'), join(work, 'orders.json'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function sluice(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: work,
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const T = Date.parse('2024-05-01T10:00:00Z');
const order = (order_id: number, category: string, amount: number, ms: number) => ({
  order_id,
  category,
  amount,
  ts: T + ms,
});

const cases = {
  format: 'sluice.tests/v1',
  pipeline: 'orders.json',
  cases: [
    {
      name: 'big orders per category, 2 s windows',
      maxOutOfOrderness: '1s',
      inputs: {
        e1: [
          order(1, 'books', 30, 0),
          order(2, 'games', 10, 100),
          order(3, 'books', 50, 500),
          order(4, 'test', 99, 600),
          order(5, 'music', 25, 2500),
        ],
      },
      expected: {
        results: [
          {
            category: 'music',
            window_start: T + 2000,
            window_end: T + 4000,
            orders: 1,
            revenue: 25,
            average: 25,
          },
          {
            category: 'books',
            window_start: T,
            window_end: T + 2000,
            orders: 2,
            revenue: 80,
            average: 40,
          },
        ],
      },
    },
  ],
};

describe('sluice test', () => {
  it('passes while the pipeline gives the saved rows, in any order', async () => {
    await writeFile(join(work, 'orders.tests.json'), JSON.stringify(cases));
    const { code, stdout, stderr } = await sluice('test', 'orders.json');
    expect(stderr).toBe('');
    expect(stdout).toContain('✓ big orders per category, 2 s windows');
    expect(stdout).toContain('1 case passed');
    expect(code).toBe(0);
  });

  it('fails with the difference after a change that alters the output, and --update takes it', async () => {
    const pipeline = JSON.parse(await readFile(join(work, 'orders.json'), 'utf8'));
    const filter = pipeline.nodes.find((n: { id: string }) => n.id === 'big_orders');
    filter.config.where = "amount >= 40 AND category <> 'test'";
    await writeFile(join(work, 'orders.json'), JSON.stringify(pipeline));

    const failed = await sluice('test', 'orders.json');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('✗ big orders per category, 2 s windows');
    // Books keep one order of two (changed); music's only one is gone (removed).
    expect(failed.stdout).toContain('results: 0 added, 1 removed, 1 changed, 0 the same');
    expect(failed.stdout).toContain(
      '- {"category":"music","window_start":"2024-05-01T10:00:02.000Z","window_end":"2024-05-01T10:00:04.000Z"',
    );
    expect(failed.stdout).toMatch(
      /~ \{"category":"books".*"orders":2.*\n\s+→ \{"category":"books".*"orders":1/,
    );
    expect(failed.stdout).toContain('1 of 1 case failed');

    const updated = await sluice('test', 'orders.json', '--update');
    expect(updated.code).toBe(0);
    const again = await sluice('test', 'orders.json');
    expect(again.code).toBe(0);
    const saved = JSON.parse(await readFile(join(work, 'orders.tests.json'), 'utf8'));
    expect(saved.cases[0].expected.results).toEqual([
      {
        category: 'books',
        window_start: T,
        window_end: T + 2000,
        orders: 1,
        revenue: 50,
        average: 50,
      },
    ]);
  });

  it('says what is wrong with a test file, and where', async () => {
    await writeFile(
      join(work, 'bad.tests.json'),
      JSON.stringify({ format: 'sluice.tests/v1', cases: [{ name: 'x' }] }),
    );
    const { code, stderr } = await sluice('test', 'orders.json', '--tests', 'bad.tests.json');
    expect(code).toBe(1);
    expect(stderr).toContain('bad.tests.json is not a test file');
    expect(stderr).toMatch(/cases\/0|cases\[0\]|inputs/);
  });
});
