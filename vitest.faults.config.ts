import { defineConfig } from 'vitest/config';
import { alias, execArgv } from './vitest.shared.js';

// The fault suite: real broker, real DuckDB, the Snowflake emulator. It stops
// and restarts shared components, so its files run one at a time, after the
// other tests (npm test runs both; npm run test:faults runs this one alone).
export default defineConfig({
  resolve: { alias },
  test: {
    execArgv,
    include: ['faults/**/*.test.ts'],
    globalSetup: ['scripts/build-once.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
