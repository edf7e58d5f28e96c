// What the signed-out page says when the server sent the browser there from a
// sign-in link (`/?sign-in=<reason>`, see apps/server/src/routes/session.ts).
// The reason holds no secret; the page drops it from the address once read.

const HOW_TO_GET_ANOTHER =
  'Paste the token below, or run `sluice login` for a new link (Sluice also prints one at each start).';

const NOTICES: Readonly<Record<string, string>> = {
  used: `This sign-in link was already used: each link signs in one browser, once. ${HOW_TO_GET_ANOTHER}`,
  expired: `This sign-in link has expired: a link works for 24 hours. ${HOW_TO_GET_ANOTHER}`,
  unknown: `This sign-in link is not valid: it may be mistyped, or from before Sluice restarted or signed every browser out. ${HOW_TO_GET_ANOTHER}`,
  'token-link':
    'Sign-in links no longer carry the token, so this one does not sign in. Open the link Sluice prints now, or paste the token below. (The old link put the token in this browser’s history: to change the token, stop Sluice, delete <data-dir>/state/token and start it again.)',
  'too-many': 'Too many failed sign-ins from this address. Wait a minute and try again.',
};

/** The notice for the `sign-in` parameter of `search` (a location's `?…`), if any. */
export function signInNotice(search: string): string | undefined {
  const reason = new URLSearchParams(search).get('sign-in');
  return reason === null ? undefined : (NOTICES[reason] ?? NOTICES.unknown);
}
