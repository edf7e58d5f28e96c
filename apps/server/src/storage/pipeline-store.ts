// Pipelines and every saved version of them, in one SQLite file. Each save
// stores the canonical JSON of the document (so export is byte-stable) and the
// validator's error and warning counts (so listing never re-validates). A
// stored document is read back the way an imported file is: migrated to the
// current format and checked, so versions saved by an older Sluice stay readable.
import { randomBytes } from 'node:crypto';
import {
  type Diagnostic,
  diffPipelines,
  exportPipeline,
  type Migration,
  type Pipeline,
  type PipelineRecord,
  type PipelineSummary,
  readPipelineValue,
  summarizeDiff,
  type VersionOrigin,
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
  /** How long a run of saves is merged into one version; 10 minutes by default. */
  readonly mergeSavesForMs?: number;
}

/** Saves within this long of the first of a run of edits make one version. */
export const MERGE_SAVES_FOR_MS = 10 * 60_000;

/** What a version's row says of itself besides its document. */
type VersionMetaRow = {
  origin: VersionOrigin;
  label: string | null;
  base_version: number | null;
  series_started_at: string | null;
  saves: number;
  deployed: number;
};

/** How a new version came to be, and what it is compared with. */
interface VersionMeta {
  readonly origin: VersionOrigin;
  readonly summary: string;
  readonly baseVersion: number | null;
  readonly seriesStartedAt: string | null;
  readonly saves: number;
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
  readonly #mergeSavesForMs: number;
  readonly #statements: ReturnType<typeof prepare>;

  constructor(file: string, options: PipelineStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#mergeSavesForMs = options.mergeSavesForMs ?? MERGE_SAVES_FOR_MS;
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
  create(pipeline: Pipeline, origin: 'create' | 'import' = 'create'): PipelineRecord {
    const id = newPipelineId();
    const at = this.#now().toISOString();
    const summary = origin === 'import' ? 'Imported' : 'Created';
    const diagnostics = inTransaction(this.#db, () => {
      this.#statements.insertPipeline.run({ id, at });
      return this.#saveVersion(id, 1, pipeline, at, {
        origin,
        summary,
        baseVersion: null,
        seriesStartedAt: null,
        saves: 1,
      });
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
   *
   * Saves of one run of edits make one version in the history: while the
   * current version is a plain save (not named, never deployed, not a restore
   * or the first) begun less than `mergeSavesForMs` ago, the new version
   * takes its place. Version numbers still count every save, so a caller's
   * expectedVersion still catches a save made elsewhere in between.
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
      const now = this.#now();
      const at = now.toISOString();
      const previous = this.#meta(id, current);
      const merge =
        previous.origin === 'save' &&
        previous.label === null &&
        previous.deployed === 0 &&
        previous.series_started_at !== null &&
        previous.base_version !== null &&
        now.getTime() - Date.parse(previous.series_started_at) < this.#mergeSavesForMs;
      const base = merge ? (previous.base_version as number) : current;
      const diagnostics = this.#saveVersion(id, current + 1, pipeline, at, {
        origin: 'save',
        summary: this.#summary(id, base, pipeline),
        baseVersion: base,
        seriesStartedAt: merge ? previous.series_started_at : at,
        saves: merge ? previous.saves + 1 : 1,
      });
      if (merge) this.#statements.deleteVersion.run(id, current);
      return { version: current + 1, diagnostics };
    });
    return this.#record(id, saved.version, saved.diagnostics);
  }

  /**
   * Names a version (or takes its name away with null); a named version is
   * kept as it is, never merged with the saves after it.
   */
  label(id: string, version: number, label: string | null): VersionSummary {
    this.#versionRow(id, version);
    const trimmed = label?.trim() || null;
    this.#statements.setLabel.run(trimmed, id, version);
    const summary = this.versions(id).find((v) => v.version === version);
    if (!summary) throw new AppError('not-found', `Pipeline '${id}' has no version ${version}.`);
    return summary;
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
      origin: VersionOrigin;
      label: string | null;
      summary: string | null;
      base_version: number | null;
      series_started_at: string | null;
      saves: number;
    }[];
    // The latest job of each version, for "deployed" marks.
    const jobs = new Map<number, { id: string; status: string; startedAt: string }>();
    for (const job of this.#statements.jobsOfPipeline.all(id) as {
      id: string;
      pipeline_version: number;
      status: string;
      started_at: number;
    }[])
      jobs.set(job.pipeline_version, {
        id: job.id,
        status: job.status,
        startedAt: new Date(job.started_at).toISOString(),
      });
    return rows.map((row) => {
      const job = jobs.get(row.version);
      return {
        version: row.version,
        name: row.name,
        createdAt: row.created_at,
        valid: row.errors === 0,
        origin: row.origin,
        ...(row.label === null ? {} : { label: row.label }),
        ...(row.summary === null ? {} : { summary: row.summary }),
        ...(row.base_version === null ? {} : { baseVersion: row.base_version }),
        ...(row.series_started_at === null ? {} : { firstSavedAt: row.series_started_at }),
        saves: row.saves,
        ...(job ? { deployed: job } : {}),
      };
    });
  }

  /** One saved version, with fresh diagnostics; throws not-found. */
  version(id: string, version: number): PipelineRecord {
    return this.#record(id, version);
  }

  /** Saves version n's document again as a new version. */
  restore(id: string, version: number): PipelineRecord {
    const saved = inTransaction(this.#db, () => {
      const { pipeline: document } = this.#read(id, this.#versionRow(id, version));
      const current = this.#current(id);
      const at = this.#now().toISOString();
      const changes = this.#summary(id, current, document);
      const diagnostics = this.#saveVersion(id, current + 1, document, at, {
        origin: 'restore',
        summary: `Restored version ${version}${changes === 'No changes' ? '' : `: ${changes.charAt(0).toLowerCase()}${changes.slice(1)}`}`,
        baseVersion: current,
        seriesStartedAt: null,
        saves: 1,
      });
      return { version: current + 1, diagnostics };
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

  #meta(id: string, version: number): VersionMetaRow {
    const row = this.#statements.meta.get(id, version) as VersionMetaRow | undefined;
    if (!row) throw new AppError('not-found', `Pipeline '${id}' has no version ${version}.`);
    return row;
  }

  /** What changed from version `base` to `pipeline`, in a line; a version that cannot be read is said so. */
  #summary(id: string, base: number, pipeline: Pipeline): string {
    try {
      return summarizeDiff(
        diffPipelines(this.#read(id, this.#versionRow(id, base)).pipeline, pipeline),
      );
    } catch {
      return `Saved (version ${base} cannot be read to compare)`;
    }
  }

  /** Stores one version and makes it current; returns the diagnostics of its canonical form. */
  #saveVersion(
    id: string,
    version: number,
    pipeline: Pipeline,
    at: string,
    meta: VersionMeta,
  ): Diagnostic[] {
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
      origin: meta.origin,
      summary: meta.summary,
      base_version: meta.baseVersion,
      series_started_at: meta.seriesStartedAt,
      saves: meta.saves,
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
         (pipeline_id, version, name, description, document, errors, warnings, created_at,
          origin, summary, base_version, series_started_at, saves)
       VALUES (@id, @version, @name, @description, @document, @errors, @warnings, @at,
          @origin, @summary, @base_version, @series_started_at, @saves)`,
    ),
    deleteVersion: db.prepare(
      'DELETE FROM pipeline_versions WHERE pipeline_id = ? AND version = ?',
    ),
    setLabel: db.prepare(
      'UPDATE pipeline_versions SET label = ? WHERE pipeline_id = ? AND version = ?',
    ),
    meta: db.prepare(
      `SELECT origin, label, base_version, series_started_at, saves,
              EXISTS (SELECT 1 FROM jobs j
                       WHERE j.pipeline_id = v.pipeline_id AND j.pipeline_version = v.version)
                AS deployed
         FROM pipeline_versions v WHERE pipeline_id = ? AND version = ?`,
    ),
    jobsOfPipeline: db.prepare(
      `SELECT id, pipeline_version, status, started_at FROM jobs
        WHERE pipeline_id = ? AND pipeline_version IS NOT NULL ORDER BY rowid`,
    ),
    deletePipeline: db.prepare('DELETE FROM pipelines WHERE id = ?'),
    versions: db.prepare(
      `SELECT version, name, created_at, errors, origin, label, summary, base_version,
              series_started_at, saves
         FROM pipeline_versions WHERE pipeline_id = ? ORDER BY version DESC`,
    ),
    version: db.prepare(
      `SELECT v.version, v.document, v.created_at, p.created_at AS pipeline_created_at
         FROM pipeline_versions v JOIN pipelines p ON p.id = v.pipeline_id
        WHERE v.pipeline_id = ? AND v.version = ?`,
    ),
  };
}
