// `sluice login`: a new one-time sign-in link from the running server, made
// with the token (SLUICE_TOKEN, or the one in <data-dir>/state/), for another
// browser or when the printed link was used. The token itself is never printed.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PORT, TOKEN_FILE } from '../config.js';
import type { CliIO } from './io.js';

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
  const portText = flags.port ?? env.SLUICE_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!(Number.isInteger(port) && port > 0 && port < 65_536)) {
    io.stderr(`sluice: --port must be a number from 1 to 65535, not '${portText}'.\n`);
    return 2;
  }
  const dataDir = resolve(io.cwd, flags.dataDir ?? env.SLUICE_DATA_DIR ?? '.sluice');
  const tokenFile = join(dataDir, 'state', TOKEN_FILE);
  let token = env.SLUICE_TOKEN?.trim();
  if (!token) {
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
    } catch {
      io.stderr(
        `sluice: there is no token in ${tokenFile}. Give the --data-dir that \`sluice start\` uses, or set SLUICE_TOKEN as it was set there.\n`,
      );
      return 2;
    }
  }
  const host = flags.host ?? env.SLUICE_HOST ?? '127.0.0.1';
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
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
      `sluice: the server at ${base} refused the token ${env.SLUICE_TOKEN ? 'in SLUICE_TOKEN' : `in ${tokenFile}`}: it was started with another data directory or token.\n`,
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
