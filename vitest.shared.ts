import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests import the packages by name, resolved to their TypeScript sources, so
 * they always run against the code as it is, without a build.
 */
export const alias = [
  { find: /^@sneakpipe\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@sneakpipe\/core\/internal$/, replacement: src('core/src/internal.ts') },
  { find: /^@sneakpipe\/core\/testing$/, replacement: src('core/src/testing/index.ts') },
  { find: /^@sneakpipe\/core\/metrics$/, replacement: src('core/src/metrics/index.ts') },
  { find: /^@sneakpipe\/sneakers$/, replacement: src('sneakers/src/index.ts') },
  { find: /^@sneakpipe\/connectors\/(.*)$/, replacement: src('connectors/src/$1/index.ts') },
  { find: /^@sneakpipe\/runners$/, replacement: src('runners/src/index.ts') },
];

/**
 * Node flags of the test workers. kafkajs, which the tests drive as the
 * second Kafka client, arms timers with negative delays on Node 24
 * (tulios/kafkajs#1751); Node runs them at once and prints a
 * `TimeoutNegativeWarning` per connection into the test log, which buried
 * real output. The CLI logs the same warning at debug level (runners'
 * logger.ts) and its tests still see it there.
 */
export const execArgv = ['--disable-warning=TimeoutNegativeWarning'];

/**
 * Test files that need a real component, and which: `npm test` starts them
 * (scripts/infra/up.sh); `npm run test:unit` (vitest.unit.config.ts) runs every
 * other test file and no component. In a unit run, a test-support helper that
 * reaches for a component throws, naming this list.
 */
export const NEEDS_INFRASTRUCTURE: Record<string, string> = {
  'examples/kafka-to-snowflake.test.ts': 'Kafka broker, Snowflake emulator',
  'examples/library-kafka-to-duckdb.test.ts': 'Kafka broker',
  'examples/own-events.test.ts': 'Kafka broker, the npm registry (installs the packed packages)',
  'examples/packed-install.test.ts': 'the npm registry (installs the packed packages)',
  'packages/connectors/src/settings/warehouses.test.ts': 'Snowflake emulator (every warehouse connector, by name)',
  'packages/runners/test/airflow-dags.test.ts': 'Airflow (PyPI, in .infra/airflow/venv)',
  'packages/connectors/src/kafka/kafkajs/kafkajs-client.test.ts': 'Kafka broker',
  'packages/connectors/src/kafka/platformatic/platformatic-client.test.ts': 'Kafka broker',
  'packages/connectors/src/snowflake/snowflake-warehouse.test.ts': 'Snowflake emulator',
  'packages/connectors/src/snowflake/errors.test.ts': 'Snowflake emulator',
  'packages/connectors/src/snowflake/load-time.test.ts': 'Snowflake emulator',
  'packages/connectors/src/kafka/shared/errors.test.ts': 'Kafka broker',
  'packages/runners/test/kafka-close-while-joining.test.ts': 'Kafka broker',
  'packages/runners/test/permanent-errors.test.ts': 'Snowflake emulator',
  'packages/runners/test/kafka-group-members.test.ts': 'Kafka broker',
  'packages/runners/test/kafka-interop.test.ts': 'Kafka broker (and its Java tools)',
  'packages/runners/test/kafka-mixed-group.test.ts': 'Kafka broker',
  'packages/runners/test/kafka-pipeline.test.ts': 'Kafka broker',
  'packages/runners/test/operators.test.ts': 'Kafka broker, Snowflake emulator',
  'packages/runners/test/monitoring.test.ts': 'Kafka broker, Prometheus, promtool, node-exporter',
  'packages/runners/test/monitoring-group.test.ts': 'Kafka broker, Prometheus',
  'packages/runners/test/packaging.test.ts': 'the npm registry (installs the packed packages)',
  'packages/runners/test/reports.test.ts': 'Chromium',
  'packages/runners/test/reports-snowflake.test.ts': 'Snowflake emulator',
  'packages/runners/test/seed.test.ts': 'Snowflake emulator',
  'packages/runners/test/snowflake-pipeline.test.ts': 'Kafka broker, Snowflake emulator',
};

/** Set in unit runs (vitest.unit.config.ts): the test-support helpers then refuse to reach a real component. */
export const UNIT_RUN_ENV = 'SNEAKPIPE_UNIT_TESTS_ONLY';
