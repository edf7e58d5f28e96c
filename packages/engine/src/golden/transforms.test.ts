// Golden: filters and computed fields over records with NULLs, against DuckDB.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Field } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameRows } from './compare.js';
import { Random, type Row, START, timeline, writeJsonl } from './data.js';
import { type Database, openDatabase } from './duckdb.js';
import { chain, fileSink, fileSource, node, readJsonl, run } from './pipeline.js';

const ORDERS: Field[] = [
  { name: 'seq', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'user', type: 'string' },
  { name: 'country', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'qty', type: 'long' },
  { name: 'paid', type: 'boolean' },
];

function orders(count: number, seed: number): Row[] {
  const random = new Random(seed);
  const times = timeline(random, {
    count,
    start: START,
    maxStep: 500,
    granularity: 1,
    maxDisorder: 2000,
  });
  return times.map((ts, seq) => ({
    seq,
    ts,
    user: random.maybe(0.1, () => random.pick(['ann', 'bob', 'cy', 'dee', 'ed', 'Al'])),
    country: random.maybe(0.15, () => random.pick(['FR', 'DE', 'US', 'JP', 'fr'])),
    amount: random.maybe(0.1, () => random.int(-5000, 50_000) / 100),
    qty: random.maybe(0.1, () => random.int(-7, 20)),
    paid: random.maybe(0.2, () => random.chance(0.5)),
  }));
}

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-golden-transforms-'));
  db = await openDatabase();
  const path = await writeJsonl(dir, 'orders.jsonl', ORDERS, orders(5000, 7));
  await db.loadJsonl('orders', path, ORDERS);
});

afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

const source = () =>
  fileSource('orders', 'orders.jsonl', ORDERS, { field: 'ts', maxOutOfOrderness: '2s' });

describe('golden: filter and computed fields', () => {
  it('keeps exactly the records whose condition is TRUE (NULL is not TRUE)', async () => {
    const where =
      "(amount > 100 OR country IN ('FR', 'DE')) AND NOT (paid = FALSE) AND (qty BETWEEN 0 AND 10 OR user LIKE '_d%')";
    await run(
      chain(
        source(),
        node('keep', 'transform.filter', { where }),
        fileSink('out', 'out/filter.jsonl'),
      ),
      dir,
    );
    const actual = await readJsonl(dir, 'out/filter.jsonl', ['ts']);
    const expected = await db.query(`SELECT * FROM orders WHERE ${where}`);
    expect(Object.keys(actual[0] ?? {})).toEqual(ORDERS.map((f) => f.name));
    expectSameRows(
      actual,
      expected,
      ORDERS.map((f) => f.name),
      ['amount'],
    );
  });

  it('computes fields with NULL propagation, three-valued logic, CASE and COALESCE', async () => {
    // Each pair: the Sluice expression, and the same in DuckDB where the spelling differs.
    const computed: [string, string, string?][] = [
      ['seq', 'seq'],
      ['ts', 'ts'],
      ['total', 'amount * qty'],
      [
        'size',
        "CASE WHEN amount >= 300 THEN 'large' WHEN amount >= 100 THEN 'medium' WHEN amount < 0 THEN 'refund' END",
      ],
      ['who', "COALESCE(user, country, 'anonymous')"],
      ['code', "UPPER(country) || '-' || LOWER(user)"],
      ['half', 'qty / 2', 'qty // 2'],
      ['rest', 'MOD(qty, 3)', 'qty % 3'],
      ['big', 'amount > 100 AND paid'],
      ['either', 'amount > 100 OR paid'],
      ['paid_word', "IF(paid, 'yes', 'no')", "CASE WHEN paid THEN 'yes' ELSE 'no' END"],
      ['not_us', "NULLIF(country, 'US')"],
      ['name_length', 'CHAR_LENGTH(user)', 'length(user)'],
      ['no_amount', 'amount IS NULL'],
      ['in_list', "country IN ('FR', 'JP', NULL)"],
      ['spent', 'IFNULL(amount, 0.0) + 1.5', 'COALESCE(amount, 0.0) + 1.5'],
    ];
    const fields = computed.map(([name, expr]) => ({ name, expr }));
    await run(
      chain(
        source(),
        node('compute', 'transform.map', { fields }),
        fileSink('out', 'out/map.jsonl'),
      ),
      dir,
    );
    const actual = await readJsonl(dir, 'out/map.jsonl', ['ts']);
    const select = computed.map(([name, expr, sql]) => `${sql ?? expr} AS ${name}`).join(', ');
    const expected = await db.query(`SELECT ${select} FROM orders`);
    const names = computed.map(([name]) => name);
    expect(Object.keys(actual[0] ?? {})).toEqual(names);
    expectSameRows(actual, expected, names, ['total', 'spent']);
  });

  it('keeps the input fields, replaces a field in place and appends new ones, after a filter', async () => {
    const fields = [
      { name: 'amount', expr: 'COALESCE(amount, 0.0) * 2' },
      { name: 'country_or_user', expr: "CONCAT(COALESCE(country, '?'), '/', user)" },
    ];
    await run(
      chain(
        source(),
        node('some', 'transform.filter', { where: 'qty IS NULL OR qty % 2 = 0' }),
        node('compute', 'transform.map', { fields, keepInput: true }),
        fileSink('out', 'out/keep.jsonl'),
      ),
      dir,
    );
    const actual = await readJsonl(dir, 'out/keep.jsonl', ['ts']);
    const expected = await db.query(
      `SELECT seq, ts, user, country, COALESCE(amount, 0.0) * 2 AS amount, qty, paid,
              concat(COALESCE(country, '?'), '/') || user AS country_or_user
       FROM orders WHERE qty IS NULL OR qty % 2 = 0`,
    );
    const names = [...ORDERS.map((f) => f.name), 'country_or_user'];
    expect(Object.keys(actual[0] ?? {})).toEqual(names);
    expectSameRows(actual, expected, names, ['amount']);
  });
});
