import { defineConfig } from 'vitest/config';

// One runner for every package's unit tests. The "source" condition makes
// `@sluice/*` imports resolve to each package's TypeScript source, so tests
// never need a build first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  // Tests run in Vite's server environment, which has its own resolve settings.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts'],
    testTimeout: 20_000,
    // The heap test forces garbage collection to measure what is really retained.
    execArgv: ['--expose-gc'],
  },
});
