// A pipeline into PostgreSQL deployed through the API (the server from
// scripts/postgres/global-setup.mjs): its password is a secret the server
// resolves, refused on the node while it is not set, and found nowhere but in
// the job: not in the pipeline, its export, the job's answers or the log.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pipeline } from '@sluice/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stateDir } from '../config.js';
import { SECRETS_FILE } from '../secrets.js';
import { loggingTestApp, type TestApp } from '../testing/app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { host: string; port: number; user: string; password: string; database: string };
  }
}

const server = inject('postgres');
let t: TestApp & { logged(): string };
let client: pg.Client;

beforeAll(async () => {
  t = await loggingTestApp();
  client = new pg.Client(server);
  await client.connect();
});
afterAll(async () => {
  await t?.close();
  await client?.end();
});

function pipeline(table: string): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Readings into PostgreSQL',
    nodes: [
      {
        id: 'readings',
        kind: 'source.datagen',
        config: {
          count: 500,
          seed: 3,
          fields: [
            { name: 'n', type: 'long', generator: { kind: 'sequence' } },
            {
              name: 'sensor',
              type: 'string',
              generator: { kind: 'choice', values: ['s1', 's2', 's3', 's4'] },
            },
          ],
        },
      },
      {
        id: 'per_sensor',
        kind: 'transform.aggregate',
        config: { groupBy: ['sensor'], aggregates: [{ name: 'readings', fn: 'count' }] },
      },
      {
        id: 'out',
        kind: 'sink.postgres',
        config: {
          host: server.host,
          port: server.port,
          database: server.database,
          user: server.user,
          passwordSecret: 'PG_TEST_PASSWORD',
          table,
          keyFields: ['sensor'],
        },
      },
    ],
    edges: [
      { id: 'e1', source: 'readings', target: 'per_sensor' },
      { id: 'e2', source: 'per_sensor', target: 'out' },
    ],
  };
}

async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: t.auth,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function until<T>(what: string, get: () => Promise<T | undefined>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a PostgreSQL sink through the API', () => {
  it('is refused on its node while its secret is not set, then writes with it, the password shown nowhere', async () => {
    const table = `api_${Date.now().toString(36)}`;
    const p = pipeline(table);
    const refused = await call('POST', '/api/jobs', { pipeline: p });
    expect(refused.statusCode, refused.body).toBe(400);
    const check = await call('POST', '/api/pipelines/preflight', p);
    expect(check.json()).toMatchObject({
      ready: false,
      diagnostics: [
        {
          severity: 'error',
          code: 'secret.missing',
          nodeId: 'out',
          path: 'nodes[2].config.passwordSecret',
        },
      ],
    });
    expect(check.json().diagnostics[0].message).toMatch(
      /The secret PG_TEST_PASSWORD is not set: start the server with SLUICE_SECRET_PG_TEST_PASSWORD .*state\/secrets\.json/,
    );

    // Set in the secrets file of the data directory: taken at the next deploy, no restart.
    await writeFile(
      join(stateDir(t.options), SECRETS_FILE),
      JSON.stringify({ PG_TEST_PASSWORD: server.password }),
      { mode: 0o600 },
    );
    const saved = await call('POST', '/api/pipelines', p);
    expect(saved.statusCode, saved.body).toBe(201);
    const deployed = await call('POST', '/api/jobs', { pipeline: p });
    expect(deployed.statusCode, deployed.body).toBe(201);
    const id = deployed.json().id;
    await until('the job to finish', async () => {
      const job = (await call('GET', `/api/jobs/${id}`)).json();
      if (job.status === 'failed') throw new Error(job.failure?.message);
      return job.status === 'finished' ? job : undefined;
    });
    const { rows } = await client.query(`SELECT sensor, readings FROM ${table} ORDER BY sensor`);
    expect(rows.map((r) => r.sensor)).toEqual(['s1', 's2', 's3', 's4']);
    expect(rows.reduce((sum, r) => sum + Number(r.readings), 0)).toBe(500);

    const answers = [
      (await call('GET', `/api/jobs/${id}`)).body,
      (await call('GET', '/api/jobs')).body,
      (await call('GET', `/api/pipelines/${saved.json().id}/export`)).body,
      t.logged(),
    ];
    for (const answer of answers) expect(answer).not.toContain(server.password);
  });
});
