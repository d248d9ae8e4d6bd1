import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import { NEEDS_INFRASTRUCTURE, UNIT_RUN_ENV } from './vitest.shared.js';

// `npm run test:unit`: every test that needs no real component (no Kafka
// broker, Snowflake emulator, Prometheus, Chromium or registry), so it runs on
// a fresh clone after `npm ci`, with nothing started. The files it leaves out,
// and what each needs, are in vitest.shared.ts; `npm test` runs them all.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, ...Object.keys(NEEDS_INFRASTRUCTURE)],
      env: { [UNIT_RUN_ENV]: '1' },
    },
  }),
);
