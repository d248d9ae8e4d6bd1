import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SnowflakeConnection } from '@sneakpipe/connectors/snowflake';
import { needsInfrastructure } from './infrastructure.js';

const envFile = fileURLToPath(new URL('../.infra/snowflake.env', import.meta.url));

function emulatorEnv(): Record<string, string> {
  needsInfrastructure('The Snowflake emulator');
  if (!existsSync(envFile)) {
    throw new Error('No Snowflake emulator for the tests: run `npm run infra:up` first (`npm test` does it for you).');
  }
  return Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The environment variables a runner needs to load into the emulator. */
export function snowflakeTestEnv(): Record<string, string> {
  return emulatorEnv();
}

/** Connection settings for the emulator, in a schema of the caller's choosing. */
export function snowflakeTestConnection(schema = 'STG'): SnowflakeConnection {
  const env = emulatorEnv();
  return {
    account: env.SNOWFLAKE_ACCOUNT!,
    username: env.SNOWFLAKE_USER!,
    password: env.SNOWFLAKE_PASSWORD!,
    host: env.SNOWFLAKE_HOST!,
    port: Number(env.SNOWFLAKE_PORT),
    protocol: 'http',
    database: 'RETAIL_LAB',
    schema,
    arrayBindingThreshold: Number(env.SNOWFLAKE_ARRAY_BINDING_THRESHOLD),
  };
}

/**
 * Independent check: runs SQL with DuckDB (the emulator's own engine, in a
 * separate Python process) on a copy of the emulator's persisted database file,
 * bypassing both the emulator's HTTP API and the Node driver.
 */
export function queryEmulatorFile(database: string, sql: string): unknown[][] {
  const env = emulatorEnv();
  const script = fileURLToPath(new URL('../infra/fakesnow/query_db_file.py', import.meta.url));
  const out = execFileSync(env.SNOWFLAKE_EMULATOR_PYTHON!, [script, join(env.SNOWFLAKE_EMULATOR_DB_DIR!, `${database}.db`), sql], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as unknown[][];
}

let counter = 0;
/** A schema name no other test uses. */
export const uniqueSchema = (prefix: string) => `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toUpperCase();
