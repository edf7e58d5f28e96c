// Vitest global setup of the `kafka` project: one broker for the whole run,
// its address given to the tests as `inject('kafkaBootstrap')`. With
// SLUICE_KAFKA_BOOTSTRAP set, the tests use that cluster instead.
import { startBroker } from './broker.mjs';

export default async function setup(project) {
  const existing = process.env.SLUICE_KAFKA_BOOTSTRAP;
  if (existing) {
    project.provide('kafkaBootstrap', existing);
    return;
  }
  const broker = await startBroker({ log: (line) => console.log(line) });
  console.log(
    `Kafka ${broker.version} for the tests at ${broker.bootstrap}, started in ${(broker.startMs / 1000).toFixed(1)} s${broker.fetched ? ` (jars fetched in ${(broker.fetchMs / 1000).toFixed(1)} s)` : ''}.`,
  );
  project.provide('kafkaBootstrap', broker.bootstrap);
  return () => broker.stop();
}
