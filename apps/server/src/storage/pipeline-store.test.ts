import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { exportPipeline, type Migration, type Pipeline } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { JobStore } from './job-store.js';
import { PipelineStore } from './pipeline-store.js';
import { SCHEMA_STEPS } from './schema.js';

const example = (name: string): Pipeline =>
  JSON.parse(
    readFileSync(new URL(`../../../../examples/${name}.json`, import.meta.url), 'utf8'),
  ) as Pipeline;

const orders = example('orders-per-category');
const payments = example('payments-join');

let dir: string;
let file: string;
let store: PipelineStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-store-'));
  file = join(dir, 'sluice.db');
  store = new PipelineStore(file);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectAppError(run: () => unknown, code: string): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected an AppError '${code}'`);
}

describe('PipelineStore', () => {
  it('creates a pipeline as version 1 under a fresh URL-safe id, stored in canonical form', () => {
    const a = store.create(orders);
    const b = store.create(orders);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{8,32}$/);
    expect(b.id).not.toBe(a.id);
    expect(a.version).toBe(1);
    expect(exportPipeline(a.pipeline)).toBe(exportPipeline(orders));
    expect(a.diagnostics).toEqual([]);
    expect(a.createdAt).toBe(a.updatedAt);
  });

  it('lists summaries with the validator counts stored at save time', () => {
    const broken = store.create({ ...orders, name: 'Broken', edges: [] });
    const fine = store.create(payments);
    const list = store.list();
    expect(list.map((s) => s.id).sort()).toEqual([broken.id, fine.id].sort());
    const summary = list.find((s) => s.id === broken.id)!;
    expect(summary).toMatchObject({ name: 'Broken', version: 1, valid: false });
    expect(summary.errors).toBe(broken.diagnostics.filter((d) => d.severity === 'error').length);
    expect(summary.errors).toBeGreaterThan(0);
    expect(list.find((s) => s.id === fine.id)).toMatchObject({
      name: payments.name,
      description: payments.description,
      valid: true,
      errors: 0,
    });
  });

  it('keeps saves far apart as numbered versions, newest first, each saying what changed', () => {
    const times = [
      '2030-01-01T00:00:00.000Z',
      '2030-01-02T00:00:00.000Z',
      '2030-01-03T00:00:00.000Z',
    ];
    store.close();
    store = new PipelineStore(file, { now: () => new Date(times.shift()!) });
    const { id } = store.create(orders);
    store.update(id, { ...orders, name: 'Second' });
    const third = store.update(id, { ...orders, name: 'Third' });
    expect(third).toMatchObject({
      version: 3,
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-03T00:00:00.000Z',
    });
    const saved = { valid: true, origin: 'save', saves: 1 };
    expect(store.versions(id)).toEqual([
      {
        ...saved,
        version: 3,
        name: 'Third',
        createdAt: '2030-01-03T00:00:00.000Z',
        firstSavedAt: '2030-01-03T00:00:00.000Z',
        baseVersion: 2,
        summary: 'Renamed to “Third”',
      },
      {
        ...saved,
        version: 2,
        name: 'Second',
        createdAt: '2030-01-02T00:00:00.000Z',
        firstSavedAt: '2030-01-02T00:00:00.000Z',
        baseVersion: 1,
        summary: 'Renamed to “Second”',
      },
      {
        ...saved,
        version: 1,
        name: orders.name,
        createdAt: '2030-01-01T00:00:00.000Z',
        origin: 'create',
        summary: 'Created',
      },
    ]);
    expect(store.version(id, 2).pipeline.name).toBe('Second');
    expect(store.get(id).pipeline.name).toBe('Third');
  });

  describe('a run of saves', () => {
    let clock: number;
    const at = (minutes: number) => {
      clock = Date.parse('2030-01-01T00:00:00.000Z') + minutes * 60_000;
    };
    const where = (condition: string): Pipeline => ({
      ...orders,
      nodes: orders.nodes.map((n) =>
        n.id === 'big_orders' ? { ...n, config: { where: condition } } : n,
      ),
    });
    beforeEach(() => {
      store.close();
      at(0);
      store = new PipelineStore(file, { now: () => new Date(clock) });
    });

    it('is one version while it lasts less than ten minutes, compared with the version before it', () => {
      const { id } = store.create(orders);
      for (const [minute, condition] of [
        [1, 'amount > 1'],
        [2, 'amount > 2'],
        [9, 'amount > 9'],
      ] as const) {
        at(minute);
        store.update(id, where(condition));
      }
      const versions = store.versions(id);
      expect(versions.map((v) => [v.version, v.saves, v.summary])).toEqual([
        [4, 3, 'Changed Filter “Big orders” (where)'],
        [1, 1, 'Created'],
      ]);
      expect(versions[0]).toMatchObject({
        firstSavedAt: '2030-01-01T00:01:00.000Z',
        createdAt: '2030-01-01T00:09:00.000Z',
      });
      // Version numbers count saves: a save based on a merged-away version is a conflict.
      expectAppError(() => store.update(id, orders, 3), 'conflict');
      expect(store.get(id).pipeline.nodes.find((n) => n.id === 'big_orders')?.config).toEqual({
        where: 'amount > 9',
      });
      // Ten minutes after its first save, the run is over: the next save starts another.
      at(11);
      store.update(id, where('amount > 11'), 4);
      expect(store.versions(id).map((v) => [v.version, v.baseVersion ?? null])).toEqual([
        [5, 4],
        [4, 1],
        [1, null],
      ]);
    });

    it('ends at a named version, a deployed one and a restore, which stay as they are', () => {
      const { id } = store.create(orders);
      at(1);
      store.update(id, where('amount > 1'));
      store.label(id, 2, 'Checked with finance');
      at(2);
      store.update(id, where('amount > 2'));
      // A job ran version 3 (the jobs table is in the same database).
      const jobs = new JobStore(file);
      jobs.insert(
        {
          id: 'job1',
          pipelineId: id,
          pipelineVersion: 3,
          name: orders.name,
          status: 'running',
          resume: false,
          startedAt: clock,
          totals: { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
        },
        where('amount > 2'),
      );
      jobs.close();
      at(3);
      store.update(id, where('amount > 3'));
      at(4);
      store.restore(id, 1);
      at(5);
      store.update(id, where('amount > 5'));
      const versions = store.versions(id);
      expect(
        versions.map((v) => [v.version, v.origin, v.label ?? null, v.deployed?.id ?? null]),
      ).toEqual([
        [6, 'save', null, null],
        [5, 'restore', null, null],
        [4, 'save', null, null],
        [3, 'save', null, 'job1'],
        [2, 'save', 'Checked with finance', null],
        [1, 'create', null, null],
      ]);
      expect(versions.find((v) => v.version === 3)?.deployed).toEqual({
        id: 'job1',
        status: 'running',
        startedAt: '2030-01-01T00:02:00.000Z',
      });
      expect(versions.find((v) => v.version === 5)?.summary).toBe(
        'Restored version 1: changed Filter “Big orders” (where)',
      );
    });
  });

  it('refuses a save based on a stale version with conflict, and keeps nothing of it', () => {
    const { id } = store.create(orders);
    store.update(id, { ...orders, name: 'Theirs' }, 1);
    const error = expectAppError(
      () => store.update(id, { ...orders, name: 'Mine' }, 1),
      'conflict',
    );
    expect(error.details).toEqual({ currentVersion: 2 });
    expect(store.get(id)).toMatchObject({ version: 2, pipeline: { name: 'Theirs' } });
    expect(store.update(id, { ...orders, name: 'Mine' }, 2).version).toBe(3);
  });

  it('restores an old version as a new version', () => {
    const { id } = store.create(orders);
    store.update(id, payments);
    const restored = store.restore(id, 1);
    expect(restored.version).toBe(3);
    expect(exportPipeline(restored.pipeline)).toBe(exportPipeline(orders));
    expect(store.versions(id).map((v) => v.version)).toEqual([3, 2, 1]);
    expectAppError(() => store.restore(id, 9), 'not-found');
    expect(store.get(id).version).toBe(3);
  });

  it('gives the jobs code the current or a given version', () => {
    const { id } = store.create(orders);
    store.update(id, payments);
    expect(store.getVersion(id)).toEqual({ id, version: 2, pipeline: store.get(id).pipeline });
    expect(store.getVersion(id, 1).pipeline.name).toBe(orders.name);
    expectAppError(() => store.getVersion(id, 3), 'not-found');
    expectAppError(() => store.getVersion('nope'), 'not-found');
  });

  it('answers not-found for unknown ids on every method', () => {
    const unknown = 'AAAAAAAAAAAAAA';
    expectAppError(() => store.get(unknown), 'not-found');
    expectAppError(() => store.update(unknown, orders), 'not-found');
    expectAppError(() => store.remove(unknown), 'not-found');
    expectAppError(() => store.versions(unknown), 'not-found');
    expectAppError(() => store.version(unknown, 1), 'not-found');
    expectAppError(() => store.restore(unknown, 1), 'not-found');
  });

  it('keeps pipelines and versions across close and reopen', () => {
    const { id } = store.create(orders);
    store.update(id, payments);
    store.close();
    store = new PipelineStore(file);
    expect(store.get(id)).toMatchObject({ id, version: 2, pipeline: { name: payments.name } });
    expect(store.versions(id).map((v) => v.version)).toEqual([2, 1]);
    expect(store.update(id, orders, 2).version).toBe(3);
  });

  it('deletes a pipeline with all its versions', () => {
    const { id } = store.create(orders);
    store.update(id, payments);
    const other = store.create(payments);
    store.remove(id);
    expectAppError(() => store.get(id), 'not-found');
    expect(store.list().map((s) => s.id)).toEqual([other.id]);
    store.close();
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const rows = db.prepare('SELECT pipeline_id FROM pipeline_versions').all();
      expect(rows).toEqual([{ pipeline_id: other.id }]);
    } finally {
      db.close();
    }
  });

  it('uses WAL and records its schema version', () => {
    store.close();
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(db.prepare('PRAGMA user_version').get()).toEqual({
        user_version: SCHEMA_STEPS.length,
      });
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer schema', () => {
    store.close();
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => new PipelineStore(file)).toThrow(/newer Sluice/);
  });
});

describe('PipelineStore reading versions saved in an older format', () => {
  // A format step as a later Sluice would add it: v0 called the nodes `steps`.
  const stepsToNodes: Migration = {
    name: 'v0-steps-to-nodes',
    from: 'sluice.pipeline/v0',
    to: 'sluice.pipeline/v1',
    migrate: ({ steps, ...rest }) => ({ ...rest, nodes: steps }),
  };

  /** Writes pipeline `id` straight into the tables, with a v0 document, as an older Sluice left it. */
  function storeOldVersion(id: string): void {
    store.close();
    const { nodes, ...rest } = orders;
    const old = { ...rest, format: 'sluice.pipeline/v0', steps: nodes };
    const db = new DatabaseSync(file);
    try {
      const at = '2026-01-01T00:00:00.000Z';
      db.prepare(
        'INSERT INTO pipelines (id, current_version, created_at, updated_at) VALUES (?, 1, ?, ?)',
      ).run(id, at, at);
      db.prepare(
        `INSERT INTO pipeline_versions
           (pipeline_id, version, name, description, document, errors, warnings, created_at)
         VALUES (?, 1, ?, NULL, ?, 0, 0, ?)`,
      ).run(id, orders.name, JSON.stringify(old), at);
    } finally {
      db.close();
    }
  }

  it('reads an older version back migrated, for the routes, deploys and restores alike', () => {
    storeOldVersion('old');
    store = new PipelineStore(file, { migrations: [stepsToNodes] });
    const record = store.get('old');
    expect(record.pipeline.format).toBe('sluice.pipeline/v1');
    expect(record.pipeline.nodes).toEqual(orders.nodes);
    expect(record.diagnostics).toEqual([]);
    expect(store.getVersion('old').pipeline.nodes).toEqual(orders.nodes);
    // A restore saves the migrated document, in the current format.
    const restored = store.restore('old', 1);
    expect(restored.version).toBe(2);
    expect(exportPipeline(restored.pipeline)).toBe(exportPipeline(orders));
  });

  it('says which version it cannot read instead of handing on a document of the wrong shape', () => {
    storeOldVersion('old');
    store = new PipelineStore(file);
    const error = expectAppError(() => store.get('old'), 'internal');
    expect(error.message).toMatch(/version 1 of pipeline 'old'/i);
    expect(error.message).toMatch(/sluice\.pipeline\/v0/);
    expectAppError(() => store.getVersion('old'), 'internal');
  });
});
