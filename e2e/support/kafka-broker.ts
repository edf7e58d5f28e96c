// One real single-node Kafka broker for the e2e run (scripts/kafka/broker.mjs,
// the same code as `npm run kafka`), with a topic of JSON orders to pick on the
// canvas. Java 17+ is needed, and Maven the first time (to fetch the jars).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KafkaAdmin, KafkaWriter } from '@sluice/engine';
import { REPO_ROOT } from './sluice-server.js';

export const ORDERS_TOPIC = 'orders';
export const ORDERS_COUNT = 20;
const CATEGORIES = ['books', 'games', 'garden', 'music'];
const BASE = Date.parse('2024-05-01T10:00:00.000Z');

interface Broker {
  readonly bootstrap: string;
  readonly version: string;
  readonly startMs: number;
  stop(): Promise<void>;
}
interface BrokerModule {
  startBroker(options?: { port?: number; log?: (line: string) => void }): Promise<Broker>;
}

export interface KafkaForE2e {
  readonly bootstrap: string;
  stop(): Promise<void>;
}

export async function startKafkaWithOrders(): Promise<KafkaForE2e> {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error) {
    throw new Error(
      `The e2e tests start a Kafka broker, which needs Java 17 or later on the PATH (and Maven 3 the first time, to fetch the jars): \`java -version\` failed (${java.error.message}).`,
    );
  }
  const url = pathToFileURL(join(REPO_ROOT, 'scripts/kafka/broker.mjs')).href;
  const { startBroker } = (await import(url)) as BrokerModule;
  const broker = await startBroker({ log: (line) => console.log(`[kafka] ${line}`) });
  console.log(
    `Kafka ${broker.version} for the e2e tests at ${broker.bootstrap}, started in ${(broker.startMs / 1000).toFixed(1)} s.`,
  );
  try {
    const admin = new KafkaAdmin({ bootstrap: broker.bootstrap });
    try {
      await admin.createTopic(ORDERS_TOPIC, 1);
    } finally {
      await admin.close();
    }
    const writer = new KafkaWriter({ bootstrap: broker.bootstrap, clientId: 'sluice-e2e' });
    try {
      writer.send(
        Array.from({ length: ORDERS_COUNT }, (_, i) => ({
          topic: ORDERS_TOPIC,
          key: String(i + 1),
          value: JSON.stringify({
            order_id: i + 1,
            category: CATEGORIES[i % CATEGORIES.length],
            amount: 10 + i + 0.5,
            ts: new Date(BASE + i * 1500).toISOString(),
          }),
        })),
      );
      await writer.flush();
    } finally {
      await writer.close();
    }
  } catch (error) {
    await broker.stop();
    throw error;
  }
  return { bootstrap: broker.bootstrap, stop: () => broker.stop() };
}
