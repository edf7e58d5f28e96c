// The PostgreSQL sink against a real server (scripts/postgres/global-setup.mjs):
// batches, upserts of an update stream, exactly once across a kill and a
// restore, and the errors a user meets first.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pipeline, PipelineNode } from '@sluice/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CheckpointStorage, type RestoredCheckpoint } from '../checkpoint/storage.js';
import { ManualClock } from '../runtime/clock.js';
import { type JobOptions, restoreFrom, startJob } from '../runtime/job.js';
import { keyedDatagen } from '../testing/pipelines.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string; password: string; database: string };
  }
}

const server = inject('postgres');
const SECRETS = { PG_PASSWORD: server.password };
let client: pg.Client;
let tables = 0;

beforeAll(async () => {
  client = new pg.Client(server);
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

/** A table name no other test uses. */
const freshTable = () => `t${Date.now().toString(36)}_${tables++}`;

function sink(id: string, table: string, config: Record<string, unknown> = {}): PipelineNode {
  return {
    id,
    kind: 'sink.postgres',
    config: {
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.user,
      passwordSecret: 'PG_PASSWORD',
      table,
      ...config,
    },
  };
}

function pipeline(nodes: PipelineNode[], edges: [string, string][]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Into PostgreSQL',
    nodes,
    edges: edges.map(([source, target], i) => ({ id: `e${i}`, source, target })),
  };
}

const source = (count: number) =>
  keyedDatagen('gen', { count, seed: 7, step: '10ms', maxDelay: '0s' });

async function rows<T>(sql: string): Promise<T[]> {
  return (await client.query(sql)).rows as T[];
}

async function finished(p: Pipeline, options: JobOptions = {}) {
  const job = startJob(p, { secrets: SECRETS, ...options });
  const ended = await job.done;
  expect([ended.status, ended.failure?.message]).toEqual(['finished', undefined]);
  return ended;
}

describe('sink.postgres', () => {
  it('adds every row it is handed, in statements of at most a batch, into a table it creates', async () => {
    const table = freshTable();
    const ended = await finished(
      pipeline(
        [source(2_500), sink('out', table, { batchSize: 1000, delivery: 'at-least-once' })],
        [['gen', 'out']],
      ),
    );
    const [found] = await rows<{ n: string; total: string; distinct: string }>(
      `SELECT count(*) AS n, sum(n) AS total, count(DISTINCT n) AS distinct FROM ${table}`,
    );
    expect(found).toEqual({ n: '2500', total: String((2499 * 2500) / 2), distinct: '2500' });
    // Timestamps arrive as timestamps, keys as text.
    const [first] = await rows<{ key: string; ts: Date }>(
      `SELECT key, ts FROM ${table} WHERE n = 0`,
    );
    expect(first!.ts.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(['a', 'b', 'c']).toContain(first!.key);
    const figures = ended.metrics.operators.find((n) => n.nodeId === 'out')!.extra;
    expect(figures.rowsWritten).toBe(2500);
    expect(figures.statements).toBeGreaterThanOrEqual(3);
  });

  it('upserts an update stream by its key: the table holds each key’s latest result', async () => {
    const appended = freshTable();
    const latest = freshTable();
    await finished(
      pipeline(
        [
          source(3_000),
          {
            id: 'counts',
            kind: 'transform.aggregate',
            config: { groupBy: ['key'], aggregates: [{ name: 'records', fn: 'count' }] },
          },
          sink('all', appended, { delivery: 'at-least-once' }),
          sink('latest', latest, { keyFields: ['key'], batchSize: 7 }),
        ],
        [
          ['gen', 'counts'],
          ['gen', 'all'],
          ['counts', 'latest'],
        ],
      ),
    );
    const expected = await rows(
      `SELECT key, count(*)::bigint AS records FROM ${appended} GROUP BY key ORDER BY key`,
    );
    expect(expected).toHaveLength(3);
    expect(await rows(`SELECT key, records FROM ${latest} ORDER BY key`)).toEqual(expected);
    // The key is the table's primary key, so a dashboard's reads are by key.
    const [pk] = await rows<{ columns: string }>(
      `SELECT string_agg(a.attname, ',') AS columns FROM pg_index i JOIN pg_attribute a
         ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = '${latest}'::regclass AND i.indisprimary`,
    );
    expect(pk!.columns).toBe('key');
  });

  it('with checkpoints, a job killed after one and restored from it writes every row once', async () => {
    const table = freshTable();
    const p = pipeline([source(20_000), sink('out', table)], [['gen', 'out']]);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pg-eo-'));
    try {
      const storage = new CheckpointStorage(dir);
      const clock = new ManualClock(1_700_000_000_000);
      let asked = 0;
      // A checkpoint after 5 batches, then killed (stopped without a savepoint) after 8.
      const killed = startJob(p, {
        clock,
        secrets: SECRETS,
        checkpoints: { intervalMs: 1000, storage },
        stopRequested: () => {
          if (++asked === 5) clock.advance(1000);
          return asked === 8 ? { drain: false } : undefined;
        },
      });
      expect((await killed.done).status).toBe('stopped');
      const checkpoint = (await storage.latest()) as RestoredCheckpoint;
      // Only what the checkpoint covers is in the table: rows after it were not written.
      const [atKill] = await rows<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      expect(Number(atKill!.n)).toBeGreaterThan(0);
      expect(Number(atKill!.n)).toBeLessThan(20_000);
      const [progress] = await rows<{ epoch: string }>(
        `SELECT epoch FROM sluice_sink_progress WHERE sink LIKE '%.out.%'`,
      );
      expect(progress).toBeDefined();

      // Restored from it twice: the first time stopped at once, the second run to the end.
      const again = startJob(p, {
        secrets: SECRETS,
        checkpoints: { intervalMs: 60_000, storage },
        restore: restoreFrom(checkpoint),
        stopRequested: () => ({ drain: false }),
      });
      await again.done;
      await finished(p, {
        checkpoints: { intervalMs: 60_000, storage },
        restore: restoreFrom(checkpoint),
      });
      const [found] = await rows<{ n: string; distinct: string }>(
        `SELECT count(*) AS n, count(DISTINCT n) AS distinct FROM ${table}`,
      );
      expect(found).toEqual({ n: '20000', distinct: '20000' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends a row PostgreSQL would refuse to the errors, naming the field, and writes the rest', async () => {
    const table = freshTable();
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pg-bad-'));
    try {
      const lines = [
        { n: 1, name: 'fine', ts: '2024-05-01T00:00:00Z' },
        { n: 2, name: 'a\u0000b', ts: '2024-05-01T00:00:01Z' },
        // Year 10 000: a time PostgreSQL has, though ISO-8601 text would not say it plainly.
        { n: 3, name: 'far', ts: 253402300800000 },
      ];
      await writeFile(join(dir, 'in.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
      const job = startJob(
        pipeline(
          [
            {
              id: 'gen',
              kind: 'source.file',
              config: {
                path: 'in.jsonl',
                format: 'jsonl',
                schema: [
                  { name: 'n', type: 'long' },
                  { name: 'name', type: 'string' },
                  { name: 'ts', type: 'timestamp' },
                ],
              },
            },
            sink('out', table, { delivery: 'at-least-once' }),
          ],
          [['gen', 'out']],
        ),
        { dataDir: dir, secrets: SECRETS },
      );
      const ended = await job.done;
      expect([ended.status, ended.failure?.message]).toEqual(['finished', undefined]);
      const found = await rows<{ n: string; far: string }>(
        `SELECT n, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS far FROM ${table} ORDER BY n`,
      );
      expect(found).toEqual([
        { n: '1', far: '2024-05-01' },
        { n: '3', far: '10000-01-01' },
      ]);
      const errors = job.errors('out');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.reason).toMatch(/name: the text holds a NUL character/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with its state gone, a run under the same job id writes its rows again rather than skipping them', async () => {
    const table = freshTable();
    const p = pipeline([source(300), sink('out', table)], [['gen', 'out']]);
    for (let run = 0; run < 2; run++) {
      const dir = await mkdtemp(join(tmpdir(), 'sluice-pg-fresh-'));
      try {
        await finished(p, {
          jobId: 'the-same-job',
          checkpoints: { intervalMs: 60_000, storage: new CheckpointStorage(dir) },
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    // Two runs from scratch, each with all its rows (the table appends).
    const [found] = await rows<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    expect(found!.n).toBe('600');
  });

  it('fails with the secret’s name when it is not set, and with PostgreSQL’s words when it is wrong', async () => {
    const p = pipeline([source(10), sink('out', freshTable())], [['gen', 'out']]);
    const unset = await startJob(p, { secrets: {} }).done;
    expect(unset.status).toBe('failed');
    expect(unset.failure?.message).toMatch(/the secret PG_PASSWORD \(its password\) is not set/);
    const wrong = await startJob(p, { secrets: { PG_PASSWORD: 'not-it' } }).done;
    expect(wrong.status).toBe('failed');
    expect(wrong.failure?.message).toMatch(
      /password authentication failed .*check the password in the secret PG_PASSWORD/,
    );
    // The password itself is in no message.
    expect(JSON.stringify([unset.failure, wrong.failure])).not.toContain(server.password);
  });

  it('fails once the server has been unreachable for its timeout, saying where', async () => {
    const p = pipeline(
      [
        source(10),
        {
          ...sink('out', freshTable(), { unreachableTimeout: '1s', delivery: 'at-least-once' }),
          config: {
            ...sink('out', 'x').config,
            table: 'x',
            port: 1,
            unreachableTimeout: '1s',
            delivery: 'at-least-once',
          },
        },
      ],
      [['gen', 'out']],
    );
    const ended = await startJob(p, { secrets: SECRETS }).done;
    expect(ended.status).toBe('failed');
    expect(ended.failure?.message).toMatch(
      /PostgreSQL at 127\.0\.0\.1:1\/\w+ has been unreachable/,
    );
  });
});
