// The server's settings: from the command line and the environment, with
// secure defaults (loopback only, a token always required).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ServerOptions {
  /** Interface to listen on. Default 127.0.0.1: nothing outside this machine can connect. */
  readonly host: string;
  /** Port; 0 picks a free one. Default 4800. */
  readonly port: number;
  /** Holds the database, the token and the files that pipelines read and write. */
  readonly dataDir: string;
  /** The token every request but health needs. */
  readonly token: string;
  /** Extra origins allowed to open WebSockets, besides the server's own. */
  readonly allowedOrigins: readonly string[];
  /** Where the built web app is, if it is served. */
  readonly webRoot?: string;
  /** Log level for Fastify's logger; 'silent' in tests. */
  readonly logLevel: string;
  /** The Kafka cluster the designer browses when a request names none (`host:port`, comma-separated). */
  readonly kafkaBootstrap?: string;
}

export const DEFAULT_PORT = 4800;
export const TOKEN_FILE = 'token';

/** Reads SLUICE_TOKEN, or the token stored in the data directory, or makes and stores one. */
export function resolveToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SLUICE_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const path = join(dataDir, TOKEN_FILE);
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 32) return stored;
  } catch {
    // No token yet: make one below.
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

export function serverOptions(
  partial: Partial<ServerOptions> & { dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): ServerOptions {
  const dataDir = resolve(partial.dataDir ?? env.SLUICE_DATA_DIR ?? '.sluice');
  mkdirSync(dataDir, { recursive: true });
  const origins =
    env.SLUICE_ALLOWED_ORIGINS?.split(',')
      .map((o) => o.trim())
      .filter(Boolean) ?? [];
  const kafkaBootstrap = partial.kafkaBootstrap ?? env.SLUICE_KAFKA_BOOTSTRAP?.trim();
  return {
    host: partial.host ?? env.SLUICE_HOST ?? '127.0.0.1',
    port: partial.port ?? (env.SLUICE_PORT ? Number(env.SLUICE_PORT) : DEFAULT_PORT),
    dataDir,
    token: partial.token ?? resolveToken(dataDir, env),
    allowedOrigins: partial.allowedOrigins ?? origins,
    ...(partial.webRoot ? { webRoot: partial.webRoot } : {}),
    logLevel: partial.logLevel ?? env.SLUICE_LOG_LEVEL ?? 'warn',
    ...(kafkaBootstrap ? { kafkaBootstrap } : {}),
  };
}

/** Where pipelines' file sources and sinks read and write: a folder of the data directory. */
export function filesDir(options: Pick<ServerOptions, 'dataDir'>): string {
  const dir = join(options.dataDir, 'files');
  mkdirSync(dir, { recursive: true });
  return dir;
}
