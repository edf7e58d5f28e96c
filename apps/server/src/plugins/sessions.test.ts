import { describe, expect, it } from 'vitest';
import { SESSION_MAX_AGE_S, SessionStore } from './sessions.js';

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
