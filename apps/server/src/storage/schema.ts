// The server database's schema, one step per version. Every store that opens
// the file brings it up to date first; a step already applied is skipped.
import { type DatabaseSync, inTransaction, userVersion } from './sqlite.js';

/** Steps that bring the database to the current schema; index + 1 is the schema version. */
export const SCHEMA_STEPS: readonly string[] = [
  `CREATE TABLE pipelines (
     id TEXT PRIMARY KEY,
     current_version INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE pipeline_versions (
     pipeline_id TEXT NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     name TEXT NOT NULL,
     description TEXT,
     document TEXT NOT NULL,
     errors INTEGER NOT NULL,
     warnings INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (pipeline_id, version)
   ) WITHOUT ROWID;`,
  // Jobs keep the document they ran (not a reference to a pipeline version):
  // a job resumes the exact pipeline its checkpoints were taken of, even after
  // that pipeline was edited or deleted. The rowid orders them by first start.
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     pipeline_id TEXT,
     pipeline_version INTEGER,
     name TEXT NOT NULL,
     document TEXT NOT NULL,
     status TEXT NOT NULL,
     resume INTEGER NOT NULL DEFAULT 0,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     failure TEXT,
     totals TEXT,
     restored_from TEXT,
     savepoint TEXT
   );`,
  // Versions that mean something: autosaves of one run of edits are merged
  // into one version (series_started_at, saves), a version can be named
  // (label), and each says what changed since the version before it (summary,
  // against base_version). Rows from before this step are kept as they are.
  `ALTER TABLE pipeline_versions ADD COLUMN origin TEXT NOT NULL DEFAULT 'save';
   ALTER TABLE pipeline_versions ADD COLUMN label TEXT;
   ALTER TABLE pipeline_versions ADD COLUMN summary TEXT;
   ALTER TABLE pipeline_versions ADD COLUMN base_version INTEGER;
   ALTER TABLE pipeline_versions ADD COLUMN series_started_at TEXT;
   ALTER TABLE pipeline_versions ADD COLUMN saves INTEGER NOT NULL DEFAULT 1;
   CREATE INDEX jobs_by_pipeline ON jobs (pipeline_id, pipeline_version);`,
  // Browsers' sessions and one-time sign-in codes, so a restart keeps browsers
  // signed in. Only SHA-256 digests are kept (of the id or code, and of the
  // token each was made under), never anything that signs in by itself.
  `CREATE TABLE sessions (
     id_digest TEXT PRIMARY KEY,
     token_digest TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE sign_in_codes (
     code_digest TEXT PRIMARY KEY,
     token_digest TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     used INTEGER NOT NULL DEFAULT 0
   );`,
];

export function migrateSchema(db: DatabaseSync): void {
  const current = userVersion(db);
  if (current > SCHEMA_STEPS.length) {
    throw new Error(
      `The database was written by a newer Sluice (schema ${current}; this one knows up to ${SCHEMA_STEPS.length}). Upgrade Sluice or use another data directory.`,
    );
  }
  for (let step = current; step < SCHEMA_STEPS.length; step++) {
    inTransaction(db, () => {
      db.exec(SCHEMA_STEPS[step]!);
      db.exec(`PRAGMA user_version = ${step + 1}`);
    });
  }
}
