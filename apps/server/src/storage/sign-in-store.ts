// Sessions and one-time sign-in codes in the server's database, as SHA-256
// digests with their expiries: a restart keeps browsers signed in, and a copy
// of the database holds nothing that signs in. Each row carries the digest of
// the token it was made under; rows of another token are deleted on open, so
// starting with a changed token ends every session and code.
import { migrateSchema } from './schema.js';
import { type DatabaseSync, inTransaction, openDatabase } from './sqlite.js';

export interface StoredCode {
  readonly expiresAt: number;
  readonly used: boolean;
}

export class SignInStore {
  readonly #db: DatabaseSync;
  readonly #token: string;
  readonly #statements: ReturnType<typeof prepare>;

  /** `tokenDigest`: the digest of the token the server runs with now. */
  constructor(file: string, tokenDigest: string) {
    this.#db = openDatabase(file);
    try {
      migrateSchema(this.#db);
      this.#statements = prepare(this.#db);
      this.#statements.dropOtherTokens.sessions.run(tokenDigest);
      this.#statements.dropOtherTokens.codes.run(tokenDigest);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#token = tokenDigest;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Adds a session; drops the expired ones, and the oldest while `max` or more are left. */
  addSession(idDigest: string, expiresAt: number, now: number, max: number): void {
    const s = this.#statements.sessions;
    inTransaction(this.#db, () => {
      s.dropExpired.run(now);
      const excess = Number(s.count.get(this.#token)?.n ?? 0) - max + 1;
      if (excess > 0) s.dropOldest.run(this.#token, excess);
      s.insert.run(idDigest, this.#token, expiresAt);
    });
  }

  /** When the session ends (ms since the epoch), or undefined for none. */
  sessionExpiry(idDigest: string): number | undefined {
    const row = this.#statements.sessions.find.get(idDigest, this.#token);
    return row === undefined ? undefined : Number(row.expires_at);
  }

  removeSession(idDigest: string): void {
    this.#statements.sessions.remove.run(idDigest);
  }

  /** Removes every session; returns how many there were. */
  removeAllSessions(): number {
    return Number(this.#statements.sessions.removeAll.run().changes);
  }

  /**
   * Adds a code; drops the oldest while `max` or more are left. Expired ones
   * stay until then, so opening one says "expired" rather than "unknown".
   */
  addCode(codeDigest: string, expiresAt: number, max: number): void {
    const c = this.#statements.codes;
    inTransaction(this.#db, () => {
      const excess = Number(c.count.get(this.#token)?.n ?? 0) - max + 1;
      if (excess > 0) c.dropOldest.run(this.#token, excess);
      c.insert.run(codeDigest, this.#token, expiresAt);
    });
  }

  code(codeDigest: string): StoredCode | undefined {
    const row = this.#statements.codes.find.get(codeDigest, this.#token);
    return row === undefined
      ? undefined
      : { expiresAt: Number(row.expires_at), used: Number(row.used) === 1 };
  }

  /** Marks a code used; true only for the call that did it, so a code signs in once. */
  useCode(codeDigest: string): boolean {
    return Number(this.#statements.codes.use.run(codeDigest, this.#token).changes) === 1;
  }

  removeCode(codeDigest: string): void {
    this.#statements.codes.remove.run(codeDigest);
  }

  removeAllCodes(): void {
    this.#statements.codes.removeAll.run();
  }
}

function prepare(db: DatabaseSync) {
  return {
    dropOtherTokens: {
      sessions: db.prepare('DELETE FROM sessions WHERE token_digest != ?'),
      codes: db.prepare('DELETE FROM sign_in_codes WHERE token_digest != ?'),
    },
    sessions: {
      insert: db.prepare(
        'INSERT INTO sessions (id_digest, token_digest, expires_at) VALUES (?, ?, ?)',
      ),
      find: db.prepare('SELECT expires_at FROM sessions WHERE id_digest = ? AND token_digest = ?'),
      count: db.prepare('SELECT count(*) AS n FROM sessions WHERE token_digest = ?'),
      dropExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      // Every session lives as long, so the one ending first is the oldest.
      dropOldest: db.prepare(
        `DELETE FROM sessions WHERE id_digest IN
           (SELECT id_digest FROM sessions WHERE token_digest = ? ORDER BY expires_at, rowid LIMIT ?)`,
      ),
      remove: db.prepare('DELETE FROM sessions WHERE id_digest = ?'),
      removeAll: db.prepare('DELETE FROM sessions'),
    },
    codes: {
      insert: db.prepare(
        'INSERT INTO sign_in_codes (code_digest, token_digest, expires_at) VALUES (?, ?, ?)',
      ),
      find: db.prepare(
        'SELECT expires_at, used FROM sign_in_codes WHERE code_digest = ? AND token_digest = ?',
      ),
      count: db.prepare('SELECT count(*) AS n FROM sign_in_codes WHERE token_digest = ?'),
      dropOldest: db.prepare(
        `DELETE FROM sign_in_codes WHERE code_digest IN
           (SELECT code_digest FROM sign_in_codes WHERE token_digest = ? ORDER BY expires_at, rowid LIMIT ?)`,
      ),
      use: db.prepare(
        'UPDATE sign_in_codes SET used = 1 WHERE code_digest = ? AND token_digest = ? AND used = 0',
      ),
      remove: db.prepare('DELETE FROM sign_in_codes WHERE code_digest = ?'),
      removeAll: db.prepare('DELETE FROM sign_in_codes'),
    },
  };
}
