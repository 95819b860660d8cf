import { defineConfig } from 'vitest/config';

// Three suites. Integration and e2e tests start real services (systemd --user, D-Bus, Chromium)
// in a private sandbox each; they run one file at a time to stay gentle on 2-core machines.
export default defineConfig({
  test: {
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
    // The JSON report is what .ci/run totals; the default reporter is for people.
    reporters: ['default', 'json'],
    outputFile: { json: 'test/artifacts/vitest-results.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Generous: property tests share two cores with integration suites and other work.
          testTimeout: 30_000,
          env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
          env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
        },
      },
      {
        test: {
          name: 'bench',
          include: ['test/bench/**/*.bench.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
        },
      },
    ],
  },
});
