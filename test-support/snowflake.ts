import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SnowflakeConnection } from '@sneakpipe/connectors/snowflake';
import { needsInfrastructure } from './infrastructure.js';
import { freePort } from './ports.js';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'Snowflake emulator';

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

/** A private emulator, its own databases and processes; `stop` ends them and removes its files. */
export interface PrivateEmulator {
  /** Connection settings for this emulator: the database and schema given, neither created until a client creates them. */
  connection(database: string, schema: string): SnowflakeConnection;
  stop(): Promise<void>;
}

/**
 * Starts a second emulator (fakesnow and the JSON proxy, from the venv the shared one uses) that behaves like a fresh
 * Snowflake account at login: a session whose database or schema does not exist gets none, instead of fakesnow
 * creating them (`serve.py --strict-login`). For tests of what a client creates itself.
 */
export async function startPrivateEmulator(): Promise<PrivateEmulator> {
  const env = emulatorEnv();
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-emulator-'));
  const script = (name: string) => fileURLToPath(new URL(`../infra/fakesnow/${name}`, import.meta.url));
  const [serverPort, proxyPort] = [await freePort(), await freePort()];
  const output: string[] = [];
  const start = (args: string[]) => {
    const child = spawn(env.SNOWFLAKE_EMULATOR_PYTHON!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    return child;
  };
  const children = [
    start([script('serve.py'), String(serverPort), dir, '--strict-login']),
    start([script('arrow_to_json_proxy.py'), String(proxyPort), String(serverPort)]),
  ];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) =>
            c.exitCode !== null || c.signalCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill()),
          ),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  const { request } = await import('node:http');
  const answers = (port: number) =>
    new Promise<boolean>((resolve) =>
      request({ host: '127.0.0.1', port, path: '/' }, (r) => (r.resume(), resolve(true)))
        .on('error', () => resolve(false))
        .end(),
    );
  const deadline = Date.now() + 30_000;
  while (!((await answers(serverPort)) && (await answers(proxyPort)))) {
    if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
      await stop();
      throw new Error(`the private Snowflake emulator did not start:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    connection: (database, schema) => ({ ...snowflakeTestConnection(schema), port: proxyPort, database }),
    stop,
  };
}

/**
 * Connection settings for the emulator with the Snowpipe Streaming load method: rows go through the test server that
 * speaks Snowpipe Streaming's REST API (infra/snowpipe-streaming/server.mjs) and lands them in the emulator's tables.
 */
export function snowflakeStreamingTestConnection(schema = 'STG'): SnowflakeConnection {
  const env = emulatorEnv();
  return {
    ...snowflakeTestConnection(schema),
    loadMethod: 'streaming',
    streamingUrl: env.SNOWFLAKE_STREAMING_URL!,
    streamingPrivateKeyPath: env.SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH!,
  };
}

/** The environment variables a runner needs to load into the emulator through Snowpipe Streaming. */
export function snowflakeStreamingTestEnv(): Record<string, string> {
  return { ...emulatorEnv(), SNOWFLAKE_LOAD_METHOD: 'streaming' };
}

/** Faults the Snowpipe Streaming test server injects from now on (see its header: `fail`, `dropResponses`, `tokenTtlMs`, `commitDelayMs`, `reset`). */
export async function streamingFaults(faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulatorEnv().SNOWFLAKE_STREAMING_URL}/__faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`the streaming test server refused the faults: ${response.status} ${await response.text()}`);
}

/** What the Snowpipe Streaming test server holds and counted (its `GET /__state`). */
export async function streamingServerState(): Promise<StreamingServerState> {
  return (await (await fetch(`${emulatorEnv().SNOWFLAKE_STREAMING_URL}/__state`)).json()) as StreamingServerState;
}

/** The test server's state, as far as tests read it. */
export interface StreamingServerState {
  readonly channels: readonly Record<string, unknown>[];
  readonly counters: Record<string, unknown>;
}
