import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import { testFilesNeedingInfrastructure, UNIT_RUN_ENV } from './vitest.shared.js';

// `npm run test:unit`: every test that needs no real component (no Kafka
// broker, Snowflake emulator, Prometheus, Chromium or registry), so it runs on
// a fresh clone after `npm ci`, with nothing started. The files it leaves out
// are those importing a test-support module that declares a component it
// reaches (`export const NEEDS`), found when this config loads
// (testFilesNeedingInfrastructure in vitest.shared.ts); `npm test` runs them all.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, ...Object.keys(testFilesNeedingInfrastructure())],
      env: { [UNIT_RUN_ENV]: '1' },
    },
  }),
);
