// Jobs as durable records, in the server's database: what ran, its status, how
// it ended, and what it resumed from. Written when a job starts, resumes or
// ends, so the Jobs list and the jobs to resume survive a restart or a crash.
import {
  exportPipeline,
  type JobFailure,
  type JobStatus,
  type JobSummary,
  type JobTotals,
  type Pipeline,
} from '@sluice/shared';
import { migrateSchema } from './schema.js';
import { type DatabaseSync, openDatabase } from './sqlite.js';

export interface JobRecord {
  readonly id: string;
  readonly pipelineId?: string;
  readonly pipelineVersion?: number;
  readonly name: string;
  readonly status: JobStatus;
  /** Start it again from its latest checkpoint when the server starts (it was stopped by a shutdown). */
  readonly resume: boolean;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly failure?: JobFailure;
  readonly totals: JobTotals;
  readonly restoredFrom?: JobSummary['restoredFrom'];
  readonly savepoint?: JobSummary['savepoint'];
}

/** A stored job with the document it ran, as stored (it is read back like an import). */
export interface StoredJob extends JobRecord {
  readonly document: unknown;
}

type Row = {
  id: string;
  pipeline_id: string | null;
  pipeline_version: number | null;
  name: string;
  document: string;
  status: string;
  resume: number;
  started_at: number;
  ended_at: number | null;
  failure: string | null;
  totals: string | null;
  restored_from: string | null;
  savepoint: string | null;
};

const NO_TOTALS: JobTotals = { recordsIn: 0, recordsOut: 0, errors: 0, late: 0 };

export class JobStore {
  readonly #db: DatabaseSync;
  readonly #statements: ReturnType<typeof prepare>;

  constructor(file: string) {
    this.#db = openDatabase(file);
    try {
      migrateSchema(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#statements = prepare(this.#db);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Records a job that starts for the first time, with the document it runs. */
  insert(record: JobRecord, pipeline: Pipeline): void {
    this.#statements.insert.run({ ...params(record), document: exportPipeline(pipeline) });
  }

  /** Writes what changed of a job: its status, end, failure, totals and checkpoints. */
  update(record: JobRecord): void {
    const { pipeline_id, pipeline_version, name, started_at, ...changed } = params(record);
    this.#statements.update.run(changed);
  }

  /** Records that a job now runs another version (an upgrade keeping its id), with its document. */
  upgraded(record: JobRecord, pipeline: Pipeline): void {
    const { started_at, ...changed } = params(record);
    this.#statements.upgraded.run({ ...changed, document: exportPipeline(pipeline) });
  }

  /** Every stored job, oldest first. */
  list(): StoredJob[] {
    return (this.#statements.list.all() as Row[]).map(fromRow);
  }

  remove(id: string): void {
    this.#statements.remove.run(id);
  }
}

function params(record: JobRecord) {
  return {
    id: record.id,
    pipeline_id: record.pipelineId ?? null,
    pipeline_version: record.pipelineVersion ?? null,
    name: record.name,
    status: record.status,
    resume: record.resume ? 1 : 0,
    started_at: record.startedAt,
    ended_at: record.endedAt ?? null,
    failure: json(record.failure),
    totals: json(record.totals),
    restored_from: json(record.restoredFrom),
    savepoint: json(record.savepoint),
  };
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parsed = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

function fromRow(row: Row): StoredJob {
  const failure = parsed<JobFailure>(row.failure);
  const restoredFrom = parsed<JobSummary['restoredFrom']>(row.restored_from);
  const savepoint = parsed<JobSummary['savepoint']>(row.savepoint);
  return {
    id: row.id,
    ...(row.pipeline_id === null ? {} : { pipelineId: row.pipeline_id }),
    ...(row.pipeline_version === null ? {} : { pipelineVersion: row.pipeline_version }),
    name: row.name,
    document: JSON.parse(row.document),
    status: row.status as JobStatus,
    resume: row.resume === 1,
    startedAt: row.started_at,
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
    ...(failure ? { failure } : {}),
    totals: parsed<JobTotals>(row.totals) ?? NO_TOTALS,
    ...(restoredFrom ? { restoredFrom } : {}),
    ...(savepoint ? { savepoint } : {}),
  };
}

function prepare(db: DatabaseSync) {
  return {
    insert: db.prepare(
      `INSERT INTO jobs (id, pipeline_id, pipeline_version, name, document, status, resume,
                         started_at, ended_at, failure, totals, restored_from, savepoint)
       VALUES (@id, @pipeline_id, @pipeline_version, @name, @document, @status, @resume,
               @started_at, @ended_at, @failure, @totals, @restored_from, @savepoint)`,
    ),
    update: db.prepare(
      `UPDATE jobs SET status = @status, resume = @resume, ended_at = @ended_at, failure = @failure,
                       totals = @totals, restored_from = @restored_from, savepoint = @savepoint
        WHERE id = @id`,
    ),
    upgraded: db.prepare(
      `UPDATE jobs SET pipeline_id = @pipeline_id, pipeline_version = @pipeline_version, name = @name,
                       document = @document, status = @status, resume = @resume, ended_at = @ended_at,
                       failure = @failure, totals = @totals, restored_from = @restored_from,
                       savepoint = @savepoint
        WHERE id = @id`,
    ),
    list: db.prepare('SELECT * FROM jobs ORDER BY rowid'),
    remove: db.prepare('DELETE FROM jobs WHERE id = ?'),
  };
}
