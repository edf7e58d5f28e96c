import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { exportPipeline, type Pipeline } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobRecord, JobStore } from './job-store.js';
import { PipelineStore } from './pipeline-store.js';
import { SCHEMA_STEPS } from './schema.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-job-store-'));
  file = join(dir, 'sluice.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pipeline: Pipeline = {
  format: 'sluice.pipeline/v1',
  name: 'Orders',
  nodes: [
    { id: 'gen', kind: 'source.datagen', config: { fields: [], count: 1 } },
    { id: 'out', kind: 'sink.preview', config: {} },
  ],
  edges: [{ id: 'e1', source: 'gen', target: 'out' }],
};

const running: JobRecord = {
  id: 'job-1',
  pipelineId: 'p1',
  pipelineVersion: 3,
  name: 'Orders',
  status: 'running',
  resume: false,
  startedAt: 1_000,
  totals: { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 },
};

describe('JobStore', () => {
  it('keeps a job from its start to its end, with the document it ran, across reopening', () => {
    let store = new JobStore(file);
    store.insert(running, pipeline);
    store.insert({ ...running, id: 'job-2', pipelineId: undefined, startedAt: 2_000 }, pipeline);
    store.update({
      ...running,
      status: 'stopped',
      resume: true,
      endedAt: 5_000,
      failure: { message: 'why', nodeId: 'out' },
      totals: { recordsIn: 10, recordsOut: 9, errors: 1, late: 0 },
      restoredFrom: { id: 4, kind: 'checkpoint', at: 900 },
      savepoint: { id: 7, at: 4_900 },
    });
    store.close();

    store = new JobStore(file);
    const [first, second] = store.list();
    expect(first).toEqual({
      id: 'job-1',
      pipelineId: 'p1',
      pipelineVersion: 3,
      name: 'Orders',
      document: JSON.parse(JSON.stringify(pipeline)),
      status: 'stopped',
      resume: true,
      startedAt: 1_000,
      endedAt: 5_000,
      failure: { message: 'why', nodeId: 'out' },
      totals: { recordsIn: 10, recordsOut: 9, errors: 1, late: 0 },
      restoredFrom: { id: 4, kind: 'checkpoint', at: 900 },
      savepoint: { id: 7, at: 4_900 },
    });
    expect(second).toMatchObject({ id: 'job-2', status: 'running', resume: false });
    expect(second).not.toHaveProperty('pipelineId');
    store.remove('job-1');
    expect(store.list().map((j) => j.id)).toEqual(['job-2']);
    store.close();
  });

  it('adds its table to a database of the first schema, keeping its pipelines', () => {
    const db = new DatabaseSync(file);
    db.exec(SCHEMA_STEPS[0]!);
    db.exec('PRAGMA user_version = 1');
    const at = new Date(0).toISOString();
    db.prepare("INSERT INTO pipelines VALUES ('p1', 1, ?, ?)").run(at, at);
    db.prepare("INSERT INTO pipeline_versions VALUES ('p1', 1, 'Orders', NULL, ?, 0, 0, ?)").run(
      exportPipeline(pipeline),
      at,
    );
    db.close();
    const jobs = new JobStore(file);
    jobs.insert(running, pipeline);
    expect(jobs.list()).toHaveLength(1);
    const pipelines = new PipelineStore(file);
    expect(pipelines.get('p1').pipeline.name).toBe('Orders');
    jobs.close();
    pipelines.close();
  });
});
