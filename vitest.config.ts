import { defineConfig } from 'vitest/config';
import { alias, execArgv } from './vitest.shared.js';

export default defineConfig({
  resolve: { alias },
  test: {
    execArgv,
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.mjs'],
    // The build first; then the run's folder for packed tarballs (test-support/packed-install.ts).
    globalSetup: ['scripts/build-once.ts', 'test-support/packed-install-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
