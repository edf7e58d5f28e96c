import { describe, expect, it } from 'vitest';
import {
  MAX_SIGN_IN_CODES,
  SESSION_MAX_AGE_S,
  SessionStore,
  SIGN_IN_CODE_MAX_AGE_S,
  SignInCodes,
} from './sessions.js';

describe('SessionStore', () => {
  it('hands out distinct random ids that end after the maximum age', () => {
    let now = 1_000;
    const sessions = new SessionStore(() => now);
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
    const sessions = new SessionStore();
    const [a, b, c] = [sessions.create(), sessions.create(), sessions.create()];
    sessions.end(a);
    expect([sessions.has(a), sessions.has(b), sessions.has(c)]).toEqual([false, true, true]);
    expect(sessions.endAll()).toBe(2);
    expect([sessions.has(b), sessions.has(c)]).toEqual([false, false]);
  });
});

describe('SignInCodes', () => {
  it('signs in once: a used code answers "used"', () => {
    const codes = new SignInCodes(() => 0);
    const { code } = codes.create();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codes.redeem(code)).toBe('ok');
    expect(codes.redeem(code)).toBe('used');
    expect(codes.redeem('made-up')).toBe('unknown');
  });

  it('dies unused after SIGN_IN_CODE_MAX_AGE_S', () => {
    let now = 5_000;
    const codes = new SignInCodes(() => now);
    const early = codes.create();
    const late = codes.create();
    expect(early.expiresAt).toBe(5_000 + SIGN_IN_CODE_MAX_AGE_S * 1000);
    now += SIGN_IN_CODE_MAX_AGE_S * 1000 - 1;
    expect(codes.redeem(early.code)).toBe('ok');
    now += 1;
    expect(codes.redeem(late.code)).toBe('expired');
  });

  it(`keeps at most ${MAX_SIGN_IN_CODES}: past it the oldest stops working`, () => {
    const codes = new SignInCodes();
    const first = codes.create().code;
    const second = codes.create().code;
    for (let i = 2; i < MAX_SIGN_IN_CODES + 1; i++) codes.create();
    expect(codes.redeem(first)).toBe('unknown');
    expect(codes.redeem(second)).toBe('ok');
  });

  it('ends every code at once', () => {
    const codes = new SignInCodes();
    const { code } = codes.create();
    codes.endAll();
    expect(codes.redeem(code)).toBe('unknown');
  });
});
