import { defineConfig } from 'vitest/config';
import { alias, execArgv } from './vitest.shared.js';

export default defineConfig({
  resolve: { alias },
  test: {
    execArgv,
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['scripts/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
