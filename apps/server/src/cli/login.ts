// `sluice login`: a new one-time sign-in link from the running server, made
// with the token (SLUICE_TOKEN, or the one in <data-dir>/state/), for another
// browser or when the printed link was used. The token itself is never printed.
import type { CliIO } from './io.js';
import { serverAccess } from './server-access.js';

export interface LoginFlags {
  readonly port?: string;
  readonly host?: string;
  readonly dataDir?: string;
}

export async function loginCommand(
  flags: LoginFlags,
  io: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const access = serverAccess(flags, io, env);
  if (typeof access === 'number') return access;
  const { base, token, tokenFrom } = access;
  let response: Response;
  try {
    response = await fetch(`${base}/api/session/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    io.stderr(`sluice: no Sluice server answers at ${base}. Is \`sluice start\` running there?\n`);
    return 1;
  }
  if (response.status === 401) {
    io.stderr(
      `sluice: the server at ${base} refused the token ${tokenFrom}: it was started with another data directory or token.\n`,
    );
    return 1;
  }
  if (response.status !== 201) {
    io.stderr(`sluice: the server at ${base} answered ${response.status} for a new link.\n`);
    return 1;
  }
  const { url } = (await response.json()) as { url: string };
  io.stdout(`Open this link to sign in (it works once, within 24 hours):\n\n    ${url}\n`);
  return 0;
}
