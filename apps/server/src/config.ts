// The server's settings: from the command line and the environment, with
// secure defaults (loopback only, a token always required).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ServerOptions {
  /** Interface to listen on. Default 127.0.0.1: nothing outside this machine can connect. */
  readonly host: string;
  /** Port; 0 picks a free one. Default 4800. */
  readonly port: number;
  /** Holds state/ (the database and the token) and files/ (what pipelines read and write). */
  readonly dataDir: string;
  /** The token every request but health needs. */
  readonly token: string;
  /** Extra origins allowed to open WebSockets, besides the server's own. */
  readonly allowedOrigins: readonly string[];
  /** Where the built web app is, if it is served. */
  readonly webRoot?: string;
  /** Log level for Fastify's logger; 'silent' in tests. */
  readonly logLevel: string;
  /** Where the log goes instead of stdout (tests read it). */
  readonly logStream?: NodeJS.WritableStream;
  /** The Kafka cluster the designer browses when a request names none (`host:port`, comma-separated). */
  readonly kafkaBootstrap?: string;
  /** Flink clusters a pipeline can run on (`settings.target: "flink:NAME"`). */
  readonly flinkClusters?: readonly FlinkCluster[];
}

/** A Flink session cluster: its SQL Gateway and its REST API (the JobManager's). */
export interface FlinkCluster {
  readonly name: string;
  readonly gateway: string;
  readonly rest: string;
}

const CLUSTER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Reads `[NAME=]GATEWAY_URL,REST_URL` (as --flink and SLUICE_FLINK take it;
 * several separated by spaces or semicolons). The name is `flink` when left out.
 */
export function parseFlinkClusters(text: string, from: string): FlinkCluster[] {
  const clusters: FlinkCluster[] = [];
  for (const item of text.split(/[;\s]+/).filter(Boolean)) {
    const named = /^([^=,]+)=(.*)$/.exec(item);
    const name = named ? named[1]! : 'flink';
    const [gateway, rest, extra] = (named ? named[2]! : item).split(',');
    const url = (value: string | undefined) => {
      try {
        const parsed = new URL(value ?? '');
        return parsed.protocol === 'http:' || parsed.protocol === 'https:'
          ? parsed.toString().replace(/\/+$/, '')
          : undefined;
      } catch {
        return undefined;
      }
    };
    const g = url(gateway);
    const r = url(rest);
    if (!CLUSTER_NAME.test(name) || !g || !r || extra !== undefined) {
      throw new ConfigError(
        `${from}: '${item}' is not [NAME=]GATEWAY_URL,REST_URL, e.g. local=http://127.0.0.1:8083,http://127.0.0.1:8081 (the SQL Gateway, then the REST API; a name of letters, digits, _ . -).`,
      );
    }
    if (clusters.some((c) => c.name === name)) {
      throw new ConfigError(`${from}: the Flink cluster '${name}' is named twice.`);
    }
    clusters.push({ name, gateway: g, rest: r });
  }
  return clusters;
}

export const DEFAULT_PORT = 4800;
export const TOKEN_FILE = 'token';
/** Shorter tokens can be guessed; a generated one has 43 characters. */
export const MIN_TOKEN_CHARS = 32;
/** A token of few different characters (`aaaa…`, `abab…`) is no secret, however long. */
export const MIN_TOKEN_DISTINCT_CHARS = 10;
/** What state/ holds, and what an older data directory kept at its top. */
const STATE_FILES = [
  TOKEN_FILE,
  'sluice.db',
  'sluice.db-wal',
  'sluice.db-shm',
  'sluice.db-journal',
];

/** The server's settings cannot be used as they are; the message says what to change. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Where the database and the token live: a folder beside files/, never inside
 * it, so no file node can name them. Only the server's user may enter it.
 */
export function stateDir(options: Pick<ServerOptions, 'dataDir'>): string {
  const dir = join(options.dataDir, 'state');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Moves the database and the token of a data directory from before state/ into it. */
function migrateToStateDir(dataDir: string): void {
  const state = stateDir({ dataDir });
  for (const name of STATE_FILES) {
    const old = join(dataDir, name);
    if (existsSync(old) && !existsSync(join(state, name))) renameSync(old, join(state, name));
  }
}

/** Reads SLUICE_TOKEN, or the token stored in state/, or makes and stores one. */
export function resolveToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SLUICE_TOKEN?.trim();
  if (fromEnv) return checkedToken(fromEnv, 'SLUICE_TOKEN');
  const path = join(stateDir({ dataDir }), TOKEN_FILE);
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= MIN_TOKEN_CHARS) return stored;
  } catch {
    // No token yet: make one below.
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

function checkedToken(token: string, from: string): string {
  if (token.length < MIN_TOKEN_CHARS) {
    throw new ConfigError(
      `${from} is too short (${token.length} characters): use at least ${MIN_TOKEN_CHARS} random characters, e.g. the output of \`openssl rand -base64 32\`, or unset it and Sluice makes one.`,
    );
  }
  const distinct = new Set(token).size;
  if (distinct < MIN_TOKEN_DISTINCT_CHARS) {
    throw new ConfigError(
      `${from} is not random enough (only ${distinct} different characters): use at least ${MIN_TOKEN_CHARS} random characters, e.g. the output of \`openssl rand -base64 32\`, or unset it and Sluice makes one.`,
    );
  }
  return token;
}

export function serverOptions(
  partial: Partial<ServerOptions> & { dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): ServerOptions {
  const dataDir = resolve(partial.dataDir ?? env.SLUICE_DATA_DIR ?? '.sluice');
  mkdirSync(dataDir, { recursive: true });
  migrateToStateDir(dataDir);
  const origins =
    env.SLUICE_ALLOWED_ORIGINS?.split(',')
      .map((o) => o.trim())
      .filter(Boolean) ?? [];
  const kafkaBootstrap = partial.kafkaBootstrap ?? env.SLUICE_KAFKA_BOOTSTRAP?.trim();
  const flinkClusters =
    partial.flinkClusters ??
    (env.SLUICE_FLINK?.trim() ? parseFlinkClusters(env.SLUICE_FLINK, 'SLUICE_FLINK') : []);
  return {
    host: partial.host ?? env.SLUICE_HOST ?? '127.0.0.1',
    port: partial.port ?? (env.SLUICE_PORT ? Number(env.SLUICE_PORT) : DEFAULT_PORT),
    dataDir,
    token: partial.token ? checkedToken(partial.token, 'The token') : resolveToken(dataDir, env),
    allowedOrigins: partial.allowedOrigins ?? origins,
    ...(partial.webRoot ? { webRoot: partial.webRoot } : {}),
    logLevel: partial.logLevel ?? env.SLUICE_LOG_LEVEL ?? 'warn',
    ...(partial.logStream ? { logStream: partial.logStream } : {}),
    ...(kafkaBootstrap ? { kafkaBootstrap } : {}),
    ...(flinkClusters.length > 0 ? { flinkClusters } : {}),
  };
}

/** Where pipelines' file sources and sinks read and write: a folder of the data directory. */
export function filesDir(options: Pick<ServerOptions, 'dataDir'>): string {
  const dir = join(options.dataDir, 'files');
  mkdirSync(dir, { recursive: true });
  return dir;
}
