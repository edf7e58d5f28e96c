// Sessions and sign-in codes on a real database file, opened again as a
// restarted server opens it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignInStore } from '../storage/sign-in-store.js';
import {
  MAX_SESSIONS,
  MAX_SIGN_IN_CODES,
  SESSION_MAX_AGE_S,
  SessionStore,
  SIGN_IN_CODE_MAX_AGE_S,
  SignInCodes,
  tokenDigest,
} from './sessions.js';

const TOKEN = 'token-0123456789abcdefghijklmnopqrstuvwxyz';
let dir: string;
let file: string;
const opened: SignInStore[] = [];
/** The database as a server started with `token` opens it. */
const open = (token = TOKEN) => {
  const store = new SignInStore(file, tokenDigest(token));
  opened.push(store);
  return store;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sessions-'));
  file = join(dir, 'sluice.db');
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SessionStore', () => {
  it('hands out distinct random ids that end after the maximum age', () => {
    let now = 1_000;
    const sessions = new SessionStore(open(), () => now);
    const a = sessions.create();
    const b = sessions.create();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.has(a)).toBe(true);
    now += SESSION_MAX_AGE_S * 1000 - 1;
    expect(sessions.has(a)).toBe(true);
    now += 1;
    expect(sessions.has(a)).toBe(false);
    expect(sessions.has(undefined)).toBe(false);
    expect(sessions.has('made-up')).toBe(false);
  });

  it('ends one session, or all of them', () => {
    const sessions = new SessionStore(open());
    const [a, b, c] = [sessions.create(), sessions.create(), sessions.create()];
    sessions.end(a);
    expect([sessions.has(a), sessions.has(b), sessions.has(c)]).toEqual([false, true, true]);
    expect(sessions.endAll()).toBe(2);
    expect([sessions.has(b), sessions.has(c)]).toEqual([false, false]);
  });

  it('survives closing and opening the database again, as a restart does', () => {
    const first = open();
    const id = new SessionStore(first).create();
    first.close();
    expect(new SessionStore(open()).has(id)).toBe(true);
  });

  it('ends every session when the server starts with another token', () => {
    const first = open();
    const id = new SessionStore(first).create();
    first.close();
    const other = open('another-token-0123456789abcdefghijklmnopq');
    expect(new SessionStore(other).has(id)).toBe(false);
    other.close();
    // The rows are gone, not only hidden: going back to the old token does not revive them.
    expect(new SessionStore(open()).has(id)).toBe(false);
  });

  it('keeps only SHA-256 digests: neither the id nor the token is in the database file', () => {
    const store = open();
    const id = new SessionStore(store).create();
    const code = new SignInCodes(store).create().code;
    store.close();
    const db = new DatabaseSync(file);
    const rows = [
      ...db.prepare('SELECT * FROM sessions').all(),
      ...db.prepare('SELECT * FROM sign_in_codes').all(),
    ];
    db.close();
    expect(rows).toHaveLength(2);
    const text = JSON.stringify(rows) + readFileSync(file, 'latin1');
    for (const secret of [id, code, TOKEN]) expect(text).not.toContain(secret);
    expect(rows.map((row) => row.id_digest ?? row.code_digest)).toEqual(
      rows.map(() => expect.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
    );
  });

  it(`keeps at most ${MAX_SESSIONS}: past it the oldest ends, and expired ones are dropped`, () => {
    let now = 0;
    const store = open();
    const sessions = new SessionStore(store, () => now);
    const first = sessions.create();
    now += 1;
    const second = sessions.create();
    for (let i = 2; i < MAX_SESSIONS + 1; i++) {
      now += 1;
      sessions.create();
    }
    expect([sessions.has(first), sessions.has(second)]).toEqual([false, true]);
    now += SESSION_MAX_AGE_S * 1000;
    sessions.create();
    // The one created now is all that is left.
    expect(sessions.endAll()).toBe(1);
  });
});

describe('SignInCodes', () => {
  it('signs in once: a used code answers "used"', () => {
    const codes = new SignInCodes(open(), () => 0);
    const { code } = codes.create();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codes.redeem(code)).toBe('ok');
    expect(codes.redeem(code)).toBe('used');
    expect(codes.redeem('made-up')).toBe('unknown');
  });

  it('dies unused after SIGN_IN_CODE_MAX_AGE_S', () => {
    let now = 5_000;
    const codes = new SignInCodes(open(), () => now);
    const early = codes.create();
    const late = codes.create();
    expect(early.expiresAt).toBe(5_000 + SIGN_IN_CODE_MAX_AGE_S * 1000);
    now += SIGN_IN_CODE_MAX_AGE_S * 1000 - 1;
    expect(codes.redeem(early.code)).toBe('ok');
    now += 1;
    expect(codes.redeem(late.code)).toBe('expired');
  });

  it(`keeps at most ${MAX_SIGN_IN_CODES}: past it the oldest stops working`, () => {
    let now = 0;
    const codes = new SignInCodes(open(), () => now++);
    const first = codes.create().code;
    const second = codes.create().code;
    for (let i = 2; i < MAX_SIGN_IN_CODES + 1; i++) codes.create();
    expect(codes.redeem(first)).toBe('unknown');
    expect(codes.redeem(second)).toBe('ok');
  });

  it('ends every code at once', () => {
    const codes = new SignInCodes(open());
    const { code } = codes.create();
    codes.endAll();
    expect(codes.redeem(code)).toBe('unknown');
  });

  it('outlives a restart, still once only; a changed token ends it', () => {
    const first = open();
    const codes = new SignInCodes(first);
    const used = codes.create().code;
    const unused = codes.create().code;
    const another = codes.create().code;
    expect(codes.redeem(used)).toBe('ok');
    first.close();
    const second = open();
    const again = new SignInCodes(second);
    expect(again.redeem(used)).toBe('used');
    expect(again.redeem(unused)).toBe('ok');
    second.close();
    expect(new SignInCodes(open('another-token-0123456789abcdefghijklmnopq')).redeem(another)).toBe(
      'unknown',
    );
  });
});
