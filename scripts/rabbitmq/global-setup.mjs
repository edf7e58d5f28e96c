// Vitest global setup of the `rabbitmq` project: one broker for the whole run,
// given to the tests as `inject('rabbitmq')` ({host, port, user, password}).
// With SLUICE_RABBITMQ_URL set, the tests use that broker instead.
import { startRabbitMQ } from './server.mjs';

export default async function setup(project) {
  const existing = process.env.SLUICE_RABBITMQ_URL;
  if (existing) {
    const url = new URL(existing);
    project.provide('rabbitmq', {
      host: url.hostname,
      port: Number(url.port || 5672),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    return;
  }
  const broker = await startRabbitMQ();
  console.log(
    `RabbitMQ ${broker.version} for the tests at 127.0.0.1:${broker.port}, started in ${(broker.startMs / 1000).toFixed(1)} s.`,
  );
  const { host, port, user, password } = broker;
  project.provide('rabbitmq', { host, port, user, password });
  return () => broker.stop();
}
