// Which pages may act with the browser's cookie: the server's own origin and
// the ones SLUICE_ALLOWED_ORIGINS names. One check, for the WebSocket
// handshake and for every state-changing HTTP call.

/** True when `origin` is the origin this request was addressed to (same scheme-normalised host and port). */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // Read the Host header with the origin's scheme, so default ports compare equal.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

export function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** The allowed origins, normalised; the ones that are no URL are dropped. */
export function allowedOriginSet(origins: readonly string[]): ReadonlySet<string> {
  return new Set(origins.map(originOf).filter((o) => o !== undefined));
}

/** True when a page of `origin` may act on this server: its own, or an allowed one. */
export function isTrustedOrigin(
  origin: string,
  host: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (isOwnOrigin(origin, host)) return true;
  const normalised = originOf(origin);
  // `null` (sandboxed frames, file: pages) is an opaque origin: never trusted.
  return normalised !== undefined && normalised !== 'null' && allowed.has(normalised);
}
