// The server's embedded database: SQLite as Node itself ships it (node:sqlite),
// so nothing is compiled on install. One file, in WAL mode.
import { DatabaseSync } from 'node:sqlite';

export type { DatabaseSync } from 'node:sqlite';

/** Opens (creating if needed) a database file in WAL mode with foreign keys on. */
export function openDatabase(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: true });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    // WAL makes NORMAL durable against crashes of the process; only power loss can drop the last commit.
    db.exec('PRAGMA synchronous = NORMAL');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Runs `work` in one transaction, taken IMMEDIATE so that a read-then-write
 * inside cannot race another writer; rolls back when it throws.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** The database's schema version (PRAGMA user_version). */
export function userVersion(db: DatabaseSync): number {
  return Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
}
