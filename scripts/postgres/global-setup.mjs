// Vitest global setup of the `postgres` project: one server for the whole run,
// given to the tests as `inject('postgres')` ({host, port, user, password, database}).
// With SLUICE_POSTGRES_URL set, the tests use that server instead.
import { startPostgres } from './server.mjs';

export default async function setup(project) {
  const existing = process.env.SLUICE_POSTGRES_URL;
  if (existing) {
    const url = new URL(existing);
    project.provide('postgres', {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1) || 'postgres',
    });
    return;
  }
  const server = await startPostgres();
  console.log(
    `PostgreSQL ${server.version} for the tests at 127.0.0.1:${server.port}, started in ${(server.startMs / 1000).toFixed(1)} s.`,
  );
  const { host, port, user, password, database } = server;
  project.provide('postgres', { host, port, user, password, database });
  return () => server.stop();
}
