// One Kafka broker, one PostgreSQL server and one real Sluice server for the whole run. The tests read where
// they are from the environment, which Playwright's workers inherit from this process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_URL_VAR,
  KAFKA_BOOTSTRAP_VAR,
  LOGIN_URL_VAR,
  POSTGRES_VAR,
  TOKEN_VAR,
} from './env.js';
import { startKafkaWithOrders } from './kafka-broker.js';
import { giveSecret, startPostgresForE2e } from './postgres-server.js';
import { startSluiceServer } from './sluice-server.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const kafka = await startKafkaWithOrders();
  let postgres: Awaited<ReturnType<typeof startPostgresForE2e>>;
  try {
    postgres = await startPostgresForE2e();
  } catch (error) {
    await kafka.stop();
    throw error;
  }
  const external = () => Promise.allSettled([kafka.stop(), postgres.stop()]);
  let server: Awaited<ReturnType<typeof startSluiceServer>>;
  try {
    server = await startSluiceServer({ kafka: kafka.bootstrap });
    giveSecret(server.dataDir, postgres.password);
  } catch (error) {
    await external();
    throw error;
  }
  let token: string;
  try {
    // Where a user finds it too; the printed link holds a one-time code, not the token.
    token = readFileSync(join(server.dataDir, 'state', 'token'), 'utf8').trim();
  } catch (error) {
    await server.stop().finally(external);
    throw error;
  }
  process.env[BASE_URL_VAR] = server.baseURL;
  process.env[LOGIN_URL_VAR] = server.loginURL;
  process.env[TOKEN_VAR] = token;
  process.env[KAFKA_BOOTSTRAP_VAR] = kafka.bootstrap;
  const { host, port, user, password, database } = postgres;
  process.env[POSTGRES_VAR] = JSON.stringify({ host, port, user, password, database });
  console.log(`Sluice server for the e2e tests: ${server.baseURL} (data in ${server.dataDir})`);
  // The server first (its jobs may hold Kafka and PostgreSQL clients), then those.
  return async () => {
    try {
      await server.stop();
    } finally {
      await external();
    }
  };
}
