// One real PostgreSQL server for the e2e run (scripts/postgres/server.mjs:
// Debian's package, initdb in a private folder, 127.0.0.1 on a free port).
// Its password reaches the Sluice server as a user's would: in the secrets
// file of its data directory, under the name a PostgreSQL sink starts with.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './sluice-server.js';

export interface PostgresForE2e {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  stop(): Promise<void>;
}

interface ServerModule {
  startPostgres(): Promise<PostgresForE2e & { version: string; startMs: number }>;
}

/** The secret a PostgreSQL sink names until its user says otherwise. */
export const PASSWORD_SECRET = 'POSTGRES_PASSWORD';

export async function startPostgresForE2e(): Promise<PostgresForE2e> {
  const url = pathToFileURL(join(REPO_ROOT, 'scripts/postgres/server.mjs')).href;
  const { startPostgres } = (await import(url)) as ServerModule;
  const server = await startPostgres();
  console.log(
    `PostgreSQL ${server.version} for the e2e tests at 127.0.0.1:${server.port}, started in ${(server.startMs / 1000).toFixed(1)} s.`,
  );
  return server;
}

/** Puts the password where the Sluice server reads secrets: state/secrets.json. */
export function giveSecret(dataDir: string, password: string): void {
  writeFileSync(
    join(dataDir, 'state', 'secrets.json'),
    JSON.stringify({ [PASSWORD_SECRET]: password }),
    { mode: 0o600 },
  );
}
