// Pipelines and every saved version of them, in one SQLite file. Each save
// stores the canonical JSON of the document (so export is byte-stable) and the
// validator's error and warning counts (so listing never re-validates). A
// stored document is read back the way an imported file is: migrated to the
// current format and checked, so versions saved by an older Sluice stay readable.
import { randomBytes } from 'node:crypto';
import {
  type Diagnostic,
  exportPipeline,
  type Migration,
  type Pipeline,
  type PipelineRecord,
  type PipelineSummary,
  readPipelineValue,
  type VersionSummary,
  validatePipeline,
} from '@sluice/shared';
import { AppError, notFound } from '../errors.js';
import { migrateSchema } from './schema.js';
import { type DatabaseSync, inTransaction, openDatabase } from './sqlite.js';

/** One saved version, as the jobs code deploys it. */
export interface PipelineVersion {
  readonly id: string;
  readonly version: number;
  readonly pipeline: Pipeline;
}

export interface PipelineStoreOptions {
  /** The clock, injectable so tests can fix times. */
  readonly now?: () => Date;
  /** The format steps stored documents are read through; the current list by default. */
  readonly migrations?: readonly Migration[];
}

type SummaryRow = {
  id: string;
  name: string;
  description: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  errors: number;
  warnings: number;
};

type VersionRow = {
  version: number;
  document: string;
  created_at: string;
  pipeline_created_at: string;
};

/** A short, URL-safe, unguessable id: 80 random bits. */
export function newPipelineId(): string {
  return randomBytes(10).toString('base64url');
}

export class PipelineStore {
  readonly #db: DatabaseSync;
  readonly #now: () => Date;
  readonly #migrations?: readonly Migration[];
  readonly #statements: ReturnType<typeof prepare>;

  constructor(file: string, options: PipelineStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    if (options.migrations) this.#migrations = options.migrations;
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

  /** Every pipeline at its current version, most recently saved first. */
  list(): PipelineSummary[] {
    return (this.#statements.list.all() as SummaryRow[]).map((row) => ({
      id: row.id,
      name: row.name,
      ...(row.description === null ? {} : { description: row.description }),
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      valid: row.errors === 0,
      errors: row.errors,
      warnings: row.warnings,
    }));
  }

  /** Stores a new pipeline as version 1, under a fresh id. */
  create(pipeline: Pipeline): PipelineRecord {
    const id = newPipelineId();
    const at = this.#now().toISOString();
    const diagnostics = inTransaction(this.#db, () => {
      this.#statements.insertPipeline.run({ id, at });
      return this.#saveVersion(id, 1, pipeline, at);
    });
    return this.#record(id, 1, diagnostics);
  }

  /** The current version; throws not-found. */
  get(id: string): PipelineRecord {
    return this.version(id, this.#current(id));
  }

  /**
   * Saves a new version. With expectedVersion, refuses (conflict) when someone
   * else saved since the caller read that version.
   */
  update(id: string, pipeline: Pipeline, expectedVersion?: number): PipelineRecord {
    const saved = inTransaction(this.#db, () => {
      const current = this.#current(id);
      if (expectedVersion !== undefined && expectedVersion !== current) {
        throw new AppError(
          'conflict',
          `This pipeline was saved by someone else since version ${expectedVersion}: it is now at version ${current}. Reload it before saving.`,
          { currentVersion: current },
        );
      }
      const at = this.#now().toISOString();
      return {
        version: current + 1,
        diagnostics: this.#saveVersion(id, current + 1, pipeline, at),
      };
    });
    return this.#record(id, saved.version, saved.diagnostics);
  }

  /** Deletes a pipeline and all its versions; throws not-found. */
  remove(id: string): void {
    // Versions go by ON DELETE CASCADE.
    if (this.#statements.deletePipeline.run(id).changes === 0) throw notFound('pipeline', id);
  }

  /** The saved versions, newest first. */
  versions(id: string): VersionSummary[] {
    this.#current(id);
    const rows = this.#statements.versions.all(id) as {
      version: number;
      name: string;
      created_at: string;
      errors: number;
    }[];
    return rows.map((row) => ({
      version: row.version,
      name: row.name,
      createdAt: row.created_at,
      valid: row.errors === 0,
    }));
  }

  /** One saved version, with fresh diagnostics; throws not-found. */
  version(id: string, version: number): PipelineRecord {
    return this.#record(id, version);
  }

  /** Saves version n's document again as a new version. */
  restore(id: string, version: number): PipelineRecord {
    const saved = inTransaction(this.#db, () => {
      const { pipeline: document } = this.#read(id, this.#versionRow(id, version));
      const next = this.#current(id) + 1;
      const at = this.#now().toISOString();
      return { version: next, diagnostics: this.#saveVersion(id, next, document, at) };
    });
    return this.#record(id, saved.version, saved.diagnostics);
  }

  /** The document to deploy: a given version, or the current one. No validation here. */
  getVersion(id: string, version?: number): PipelineVersion {
    const n = version ?? this.#current(id);
    return { id, version: n, pipeline: this.#read(id, this.#versionRow(id, n)).pipeline };
  }

  /** A stored version as the routes return it; validated here unless the save just did. */
  #record(id: string, version: number, diagnostics?: Diagnostic[]): PipelineRecord {
    const row = this.#versionRow(id, version);
    const read = this.#read(id, row);
    return {
      id,
      version,
      pipeline: read.pipeline,
      diagnostics: diagnostics ?? read.diagnostics,
      createdAt: row.pipeline_created_at,
      updatedAt: row.created_at,
    };
  }

  /** A stored document, migrated and checked like an imported file; fresh diagnostics with it. */
  #read(id: string, row: VersionRow): { pipeline: Pipeline; diagnostics: Diagnostic[] } {
    const read = readPipelineValue(
      JSON.parse(row.document),
      this.#migrations ? { migrations: this.#migrations } : {},
    );
    if (read.pipeline) return { pipeline: read.pipeline, diagnostics: read.diagnostics };
    const first = read.diagnostics.find((d) => d.severity === 'error');
    throw new AppError(
      'internal',
      `Version ${row.version} of pipeline '${id}' is stored in a form this Sluice cannot read${first ? `: ${first.message}` : '.'} Open it with the Sluice that saved it, or restore another version.`,
      read.diagnostics,
    );
  }

  #current(id: string): number {
    const row = this.#statements.current.get(id) as { current_version: number } | undefined;
    if (!row) throw notFound('pipeline', id);
    return row.current_version;
  }

  #versionRow(id: string, version: number): VersionRow {
    const row = this.#statements.version.get(id, version) as VersionRow | undefined;
    if (row) return row;
    this.#current(id); // an unknown pipeline says so, before an unknown version
    throw new AppError('not-found', `Pipeline '${id}' has no version ${version}.`);
  }

  /** Stores one version and makes it current; returns the diagnostics of its canonical form. */
  #saveVersion(id: string, version: number, pipeline: Pipeline, at: string): Diagnostic[] {
    const document = exportPipeline(pipeline);
    // Counted on the canonical form, the one that is stored and read back.
    const diagnostics = validatePipeline(JSON.parse(document));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    this.#statements.insertVersion.run({
      id,
      version,
      name: pipeline.name,
      description: pipeline.description || null,
      document,
      errors,
      warnings: diagnostics.length - errors,
      at,
    });
    this.#statements.setCurrent.run(version, at, id);
    return diagnostics;
  }
}

function prepare(db: DatabaseSync) {
  return {
    list: db.prepare(
      `SELECT p.id, v.name, v.description, p.current_version AS version, p.created_at, p.updated_at,
              v.errors, v.warnings
         FROM pipelines p
         JOIN pipeline_versions v ON v.pipeline_id = p.id AND v.version = p.current_version
        ORDER BY p.updated_at DESC, p.rowid DESC`,
    ),
    current: db.prepare('SELECT current_version FROM pipelines WHERE id = ?'),
    insertPipeline: db.prepare(
      'INSERT INTO pipelines (id, current_version, created_at, updated_at) VALUES (@id, 0, @at, @at)',
    ),
    setCurrent: db.prepare('UPDATE pipelines SET current_version = ?, updated_at = ? WHERE id = ?'),
    insertVersion: db.prepare(
      `INSERT INTO pipeline_versions
         (pipeline_id, version, name, description, document, errors, warnings, created_at)
       VALUES (@id, @version, @name, @description, @document, @errors, @warnings, @at)`,
    ),
    deletePipeline: db.prepare('DELETE FROM pipelines WHERE id = ?'),
    versions: db.prepare(
      `SELECT version, name, created_at, errors FROM pipeline_versions
        WHERE pipeline_id = ? ORDER BY version DESC`,
    ),
    version: db.prepare(
      `SELECT v.version, v.document, v.created_at, p.created_at AS pipeline_created_at
         FROM pipeline_versions v JOIN pipelines p ON p.id = v.pipeline_id
        WHERE v.pipeline_id = ? AND v.version = ?`,
    ),
  };
}
