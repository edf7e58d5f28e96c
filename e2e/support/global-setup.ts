// One Kafka broker and one real server for the whole run. The tests read where
// they are from the environment, which Playwright's workers inherit from this process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL_VAR, KAFKA_BOOTSTRAP_VAR, LOGIN_URL_VAR, TOKEN_VAR } from './env.js';
import { startKafkaWithOrders } from './kafka-broker.js';
import { startSluiceServer } from './sluice-server.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const kafka = await startKafkaWithOrders();
  let server: Awaited<ReturnType<typeof startSluiceServer>>;
  try {
    server = await startSluiceServer({ kafka: kafka.bootstrap });
  } catch (error) {
    await kafka.stop();
    throw error;
  }
  let token: string;
  try {
    // Where a user finds it too; the printed link holds a one-time code, not the token.
    token = readFileSync(join(server.dataDir, 'state', 'token'), 'utf8').trim();
  } catch (error) {
    await server.stop().finally(() => kafka.stop());
    throw error;
  }
  process.env[BASE_URL_VAR] = server.baseURL;
  process.env[LOGIN_URL_VAR] = server.loginURL;
  process.env[TOKEN_VAR] = token;
  process.env[KAFKA_BOOTSTRAP_VAR] = kafka.bootstrap;
  console.log(`Sluice server for the e2e tests: ${server.baseURL} (data in ${server.dataDir})`);
  // The server first (its jobs may hold Kafka clients), then the broker.
  return async () => {
    try {
      await server.stop();
    } finally {
      await kafka.stop();
    }
  };
}
