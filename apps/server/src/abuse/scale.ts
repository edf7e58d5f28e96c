// How hard the abuse tests push: a short run in every `npx vitest run`, the
// full one with SLUICE_ABUSE_FULL=1 (what `npm run test:abuse` sets).

/** True in the full abuse run. */
export const ABUSE_FULL = process.env.SLUICE_ABUSE_FULL === '1';

/** `small` in the everyday run, `full` in `npm run test:abuse`. */
export function abuseScale<T>(small: T, full: T): T {
  return ABUSE_FULL ? full : small;
}
