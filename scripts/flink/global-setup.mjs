// Vitest global setup of the `flink` project: one Kafka broker and one Flink
// session cluster for the whole run, started side by side, their addresses
// given to the tests as inject('kafkaBootstrap'), inject('flinkGateway') and
// inject('flinkRest'). SLUICE_KAFKA_BOOTSTRAP uses a broker already running.
import { startBroker } from '../kafka/broker.mjs';
import { startFlink } from './cluster.mjs';

export default async function setup(project) {
  const existing = process.env.SLUICE_KAFKA_BOOTSTRAP;
  const log = (line) => console.log(line);
  const [broker, flink] = await Promise.all([
    existing ? undefined : startBroker({ log }),
    startFlink({ log }),
  ]);
  console.log(
    `Flink ${flink.version} for the tests at ${flink.restURL} (SQL Gateway ${flink.gatewayURL}), started in ${(flink.startMs / 1000).toFixed(1)} s; Kafka at ${broker?.bootstrap ?? existing}.`,
  );
  project.provide('kafkaBootstrap', broker?.bootstrap ?? existing);
  project.provide('flinkGateway', flink.gatewayURL);
  project.provide('flinkRest', flink.restURL);
  return async () => {
    await Promise.all([flink.stop(), broker?.stop()]);
  };
}
