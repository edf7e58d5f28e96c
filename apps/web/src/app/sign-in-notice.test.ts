import { describe, expect, it } from 'vitest';
import { signInNotice } from './sign-in-notice.js';

describe('signInNotice', () => {
  it('says a used link was used, and how to get a new one', () => {
    const notice = signInNotice('?sign-in=used');
    expect(notice).toContain('This sign-in link was already used');
    expect(notice).toContain('Paste the token below');
  });

  it('explains expired and old token links, and nothing without a reason', () => {
    expect(signInNotice('?sign-in=expired')).toContain('expired');
    expect(signInNotice('?sign-in=token-link')).toContain('no longer carry the token');
    expect(signInNotice('?sign-in=anything-else')).toContain('not valid');
    expect(signInNotice('')).toBeUndefined();
  });
});
