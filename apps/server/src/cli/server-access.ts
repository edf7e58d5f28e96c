// How a command reaches the running server: its address (--host, --port or
// SLUICE_HOST, SLUICE_PORT) and its token (SLUICE_TOKEN, or the one in
// <data-dir>/state/). The token is sent, never printed.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PORT, TOKEN_FILE } from '../config.js';
import type { CliIO } from './io.js';

export interface ServerFlags {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
}

export interface ServerAccess {
  readonly base: string;
  readonly token: string;
  /** Where the token came from, for a message when it is refused. */
  readonly tokenFrom: string;
}

/** The server's address and token; the exit code (2) after saying what is wrong. */
export function serverAccess(
  flags: ServerFlags,
  io: CliIO,
  env: NodeJS.ProcessEnv,
): ServerAccess | number {
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
  return { base, token, tokenFrom: env.SLUICE_TOKEN ? 'in SLUICE_TOKEN' : `in ${tokenFile}` };
}
