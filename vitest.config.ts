import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that measure the server's speed: they run after the others, one file at a time. */
const LOAD_TESTS = ['apps/server/src/load.test.ts', 'apps/server/src/soak.test.ts'];
/** Tests against a local Flink cluster and a Kafka broker, started once per run by their own global setup. */
const FLINK_TESTS = ['packages/*/src/**/*.flink.test.ts', 'apps/server/src/**/*.flink.test.ts'];
/** Tests against a real Kafka broker, started once per run by their own global setup. */
const KAFKA_TESTS = ['packages/*/src/**/*.kafka.test.ts', 'apps/server/src/**/*.kafka.test.ts'];
/** Tests against a real PostgreSQL server, started once per run by their own global setup. */
const POSTGRES_TESTS = [
  'packages/*/src/**/*.postgres.test.ts',
  'apps/server/src/**/*.postgres.test.ts',
];
/** Tests against a real RabbitMQ broker, started once per run by their own global setup. */
const RABBITMQ_TESTS = [
  'packages/*/src/**/*.rabbitmq.test.ts',
  'apps/server/src/**/*.rabbitmq.test.ts',
];
/** Hostile clients against the real server; small by default, full with SLUICE_ABUSE_FULL=1 (npm run test:abuse). */
const ABUSE_TESTS = ['apps/server/src/abuse/**/*.abuse.test.ts'];
/** Processes killed at random points; a few kills by default, 20 with SLUICE_FAULTS_FULL=1 (npm run test:faults). */
const FAULT_TESTS = ['apps/server/src/faults/**/*.faults.test.ts'];
/** The fault tests that read and write Kafka: a project of their own, with the broker's global setup. */
const KAFKA_FAULT_TESTS = ['apps/server/src/faults/**/kafka*.faults.test.ts'];

// One runner for every package's unit tests. The "source" condition makes
// `@sluice/*` imports resolve to each package's TypeScript source, so tests
// never need a build first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  // Tests run in Vite's server environment, which has its own resolve settings.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    testTimeout: 20_000,
    // The heap test forces garbage collection to measure what is really retained.
    execArgv: ['--expose-gc'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/server/src/**/*.test.ts',
            'apps/web/src/**/*.test.{ts,tsx}',
          ],
          exclude: [
            ...configDefaults.exclude,
            ...LOAD_TESTS,
            ...KAFKA_TESTS,
            ...POSTGRES_TESTS,
            ...RABBITMQ_TESTS,
            ...ABUSE_TESTS,
            ...FAULT_TESTS,
            ...FLINK_TESTS,
          ],
        },
      },
      {
        // The embedded engine and Flink on the same Kafka topics; a short part by default, all with SLUICE_FLINK_FULL=1 (npm run test:flink).
        extends: true,
        test: {
          name: 'flink',
          include: FLINK_TESTS,
          globalSetup: ['scripts/flink/global-setup.mjs'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // Only this project waits for Java: the broker starts when one of its files runs.
        extends: true,
        test: {
          name: 'kafka',
          include: KAFKA_TESTS,
          globalSetup: ['scripts/kafka/global-setup.mjs'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Only this project starts PostgreSQL (installed from Debian's package if missing).
        extends: true,
        test: {
          name: 'postgres',
          include: POSTGRES_TESTS,
          globalSetup: ['scripts/postgres/global-setup.mjs'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Only this project starts RabbitMQ (installed from Debian's package if missing).
        extends: true,
        test: {
          name: 'rabbitmq',
          include: RABBITMQ_TESTS,
          globalSetup: ['scripts/rabbitmq/global-setup.mjs'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Latency budgets (the soak test's p99) hold only without other tests' CPU beside them.
        extends: true,
        test: {
          name: 'load',
          include: LOAD_TESTS,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Floods and slow clients measure the event loop: one file at a time, after the unit tests.
        extends: true,
        test: {
          name: 'abuse',
          include: ABUSE_TESTS,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 120_000,
        },
      },
      {
        // Spawns the built CLI (bin/sluice.js) and kills it: needs the build that npm test makes first.
        extends: true,
        test: {
          name: 'faults',
          include: FAULT_TESTS,
          exclude: [...configDefaults.exclude, ...KAFKA_FAULT_TESTS],
          testTimeout: 600_000,
        },
      },
      {
        // The same, against a real broker: only this project of the two waits for Java.
        extends: true,
        test: {
          name: 'faults-kafka',
          include: KAFKA_FAULT_TESTS,
          globalSetup: ['scripts/kafka/global-setup.mjs'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
