import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { snowflakeTestEnv, uniqueSchema } from '@sneakpipe/test-support/snowflake';

const PASSWORD = 'Hunter2-Sn0wfl4ke!pw';
const PASSPHRASE = 'c0rrect-h0rse-passphrase';
const SASL_PASSWORD = 'S4sl-s3cret-v4lue';

describe('bad settings stop the process with one line naming the setting', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['broker address', ['consume', '--brokers', 'no-port-here'], {}, /--brokers: expected HOST:PORT/],
    ['rate', ['produce', '--rate', 'fast'], {}, /--rate: expected a positive number/],
    ['batch size', ['consume', '--batch-size', '0'], {}, /--batch-size: expected a positive integer/],
    ['metrics port', ['produce', '--metrics-port', '99999'], {}, /--metrics-port: expected a port number/],
    ['topic from env', ['produce'], { KAFKA_TOPIC_NAME: 'bad topic!' }, /KAFKA_TOPIC_NAME: expected a Kafka topic name/],
    [
      'SASL mechanism',
      ['produce'],
      { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_PASSWORD: SASL_PASSWORD },
      /KAFKA_SASL_MECHANISM: expected plain, scram-sha-256 or scram-sha-512/,
    ],
    ['incomplete SASL', ['produce'], { KAFKA_SASL_PASSWORD: SASL_PASSWORD }, /incomplete SASL settings/],
    ['Snowflake user', ['consume'], { SNOWFLAKE_ACCOUNT: 'acme-prod' }, /SNOWFLAKE_USER/],
    [
      'Snowflake credentials',
      ['consume'],
      { SNOWFLAKE_ACCOUNT: 'acme-prod', SNOWFLAKE_USER: 'loader' },
      /SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH/,
    ],
    [
      'schema injection',
      ['seed'],
      { SNOWFLAKE_ACCOUNT: 'acme-prod', SNOWFLAKE_USER: 'loader', SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_SCHEMA: 'STG; DROP TABLE X' },
      /SNOWFLAKE_SCHEMA: expected a Snowflake identifier/,
    ],
    ['Snowflake protocol', ['seed'], { SNOWFLAKE_PROTOCOL: 'ftp' }, /SNOWFLAKE_PROTOCOL: expected https or http/],
    ['time zone', ['report', 'daily', '--timezone', 'Mars/Olympus_Mons'], {}, /--timezone: expected an IANA time zone/],
    ['ISO week', ['report', 'weekly', '--week', '2025-W99'], {}, /--week: expected an ISO week/],
    ['date', ['report', 'daily', '--date', '2025-02-31x'], {}, /--date: expected a date/],
    ['log level', ['--log-level', 'loud', 'demo'], {}, /--log-level: expected one of/],
    ['cron', ['schedule', '--daily-cron', 'at eight'], {}, /--daily-cron: expected a cron expression/],
    ['Kafka client', ['consume'], { SNEAKPIPE_KAFKA_CLIENT: 'librdkafka' }, /SNEAKPIPE_KAFKA_CLIENT: expected platformatic or kafkajs/],
    ['low-memory switch', ['demo'], { SNEAKPIPE_LOW_MEMORY: 'maybe' }, /SNEAKPIPE_LOW_MEMORY: expected true or false/],
    ['DuckDB memory limit', ['demo', '--duckdb-memory-limit', 'lots'], {}, /--duckdb-memory-limit: expected a memory size/],
    [
      'fetch size',
      ['consume'],
      { KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '1MB' },
      /KAFKA_FETCH_MAX_BYTES_PER_PARTITION: expected a positive integer/,
    ],
  ];
  for (const [name, args, env, message] of cases) {
    it(name, async () => {
      const r = await runCli(args, { KAFKA_BOOTSTRAP: '127.0.0.1:1', ...env }, 30_000);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^sneakpipe: /);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      for (const secret of [PASSWORD, SASL_PASSWORD]) expect(r.stderr + r.stdout).not.toContain(secret);
    });
  }
});

const WRONG_PASSPHRASE = 'Wr0ng-passphrase-t00';

/** A secret as it may appear once encoded (URL, base64), besides as itself. */
const spellings = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];

/** The lines of `text` that hold any spelling of any secret (empty when none leaks). */
function leaks(text: string, secrets: readonly string[]): string[] {
  const all = secrets.flatMap(spellings);
  return text.split('\n').filter((line) => all.some((s) => line.includes(s)));
}

/** What a running process's ops endpoints serve: /metrics, /healthz and /readyz, with their statuses. */
/**
 * The three endpoints' answers. Readiness is a moment's view (a check can be
 * down while the consumer rejoins its group): with `untilReady` it is read
 * again for up to 10 s; `readyBody` says which check was down.
 */
async function opsEndpoints(
  port: number,
  { untilReady = false } = {},
): Promise<{ text: string; ready: number; healthy: number; readyBody: string }> {
  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: r.status, body: await r.text() };
  };
  const [metrics, healthz] = await Promise.all([get('/metrics'), get('/healthz')]);
  const readyz = [await get('/readyz')];
  for (let i = 0; untilReady && readyz.at(-1)!.status !== 200 && i < 20; i++) {
    await new Promise((r) => setTimeout(r, 500));
    readyz.push(await get('/readyz'));
  }
  expect(metrics.body).toMatch(/^# HELP /m);
  return {
    text: [metrics.body, healthz.body, ...readyz.map((r) => r.body)].join('\n'),
    healthy: healthz.status,
    ready: readyz.at(-1)!.status,
    readyBody: readyz.map((r) => r.body.trim()).join(' | '),
  };
}

const metricsPort = async (cli: RunningCli) => Number((await cli.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);

describe('secrets never reach logs, metrics, health endpoints or crash output (debug log level)', () => {
  const SECRETS = [PASSWORD, PASSPHRASE, SASL_PASSWORD, WRONG_PASSPHRASE];
  let dir: string;
  let key: string;
  let topic: string;
  let base: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sneakpipe-secrets-'));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    key = join(dir, 'key.p8');
    writeFileSync(key, privateKey);
    topic = uniqueTopic('secrets');
    base = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic, SNEAKPIPE_LOG_LEVEL: 'debug' };
    const produced = await runCli(['produce', '--count', '300'], base);
    expect(produced.code, produced.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The emulator's settings with the test's real password in place of its placeholder, in a schema of its own. */
  const snowflake = (prefix: string) => ({ ...snowflakeTestEnv(), SNOWFLAKE_PASSWORD: PASSWORD, SNOWFLAKE_SCHEMA: uniqueSchema(prefix) });

  /** Runs a consumer to the end and returns everything it showed: output, and its endpoints once it loaded. */
  async function consumeAll(env: Record<string, string>): Promise<{ everything: string; stderr: string; stdout: string }> {
    const consumer = startCli(['consume', '--group', `g-${uniqueTopic('secrets')}`, '--exit-when-idle', '15000'], { ...base, ...env });
    const port = await metricsPort(consumer);
    await consumer.waitFor(/batch loaded/, 120_000);
    const ops = await opsEndpoints(port, { untilReady: true });
    expect([ops.healthy, ops.ready], ops.readyBody).toEqual([200, 200]);
    const done = await consumer.done;
    expect(done.code, done.stderr.slice(-1500)).toBe(0);
    expect(done.stdout).toMatch(/loaded 300 events/);
    expect(done.stderr.split('\n').filter((l) => l.includes('"level":20')).length, 'debug lines').toBeGreaterThan(0);
    return { everything: [done.stderr, done.stdout, ops.text].join('\n'), stderr: done.stderr, stdout: done.stdout };
  }

  it('password authentication, the password really set: not in any log line, /metrics, /healthz or /readyz', async () => {
    const run = await consumeAll(snowflake('SECRETS_PW'));
    expect(run.stderr).toMatch(/"warehouse":"snowflake:[^"]*\(password authentication\)"/);
    expect(leaks(run.everything, SECRETS)).toEqual([]);
  });

  it('key-pair authentication with a decoy password set too: neither the passphrase nor the password shows', async () => {
    const run = await consumeAll({
      ...snowflake('SECRETS_KEY'),
      SNOWFLAKE_PRIVATE_KEY_PATH: key,
      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: PASSPHRASE,
    });
    expect(run.stderr).toMatch(/"warehouse":"snowflake:[^"]*\(key-pair authentication\)"/);
    expect(leaks(run.everything, SECRETS)).toEqual([]);
  });

  it('a key the warehouse cannot unlock (wrong passphrase): retried and not ready, and neither passphrase nor the password shows', async () => {
    const consumer = startCli(['consume', '--group', `g-${uniqueTopic('secrets')}`], {
      ...base,
      ...snowflake('SECRETS_BAD'),
      SNOWFLAKE_PRIVATE_KEY_PATH: key,
      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: WRONG_PASSPHRASE,
    });
    const port = await metricsPort(consumer);
    await consumer.waitFor(/"attempt":2,[^\n]*opening the warehouse failed, retrying/, 60_000);
    const ops = await opsEndpoints(port);
    expect([ops.healthy, ops.ready]).toEqual([200, 503]);
    expect(ops.text).toMatch(/"warehouse":false/);
    consumer.child.kill('SIGTERM');
    const done = await consumer.done;
    expect(leaks([done.stderr, done.stdout, ops.text].join('\n'), SECRETS)).toEqual([]);
  });

  it('a crash (a setting only the warehouse refuses), with SNEAKPIPE_DEBUG printing the whole error: no secret in its output', async () => {
    const crashed = await runCli(['consume', '--group', `g-${uniqueTopic('secrets')}`], {
      ...base,
      ...snowflake('SECRETS_CRASH'),
      SNOWFLAKE_HOST: 'snowflake.example.com', // http to a remote host: refused when the warehouse opens
      SNOWFLAKE_PRIVATE_KEY_PATH: key,
      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: PASSPHRASE,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'loader',
      KAFKA_SASL_PASSWORD: SASL_PASSWORD,
      SNEAKPIPE_DEBUG: '1',
    });
    expect(crashed.code, crashed.stderr.slice(-1500)).toBe(1);
    expect(crashed.stderr).toMatch(/^sneakpipe: .*http is only for a local emulator/ms);
    expect(crashed.stderr).toMatch(/\n\s+at /); // the whole error was printed
    expect(leaks(crashed.stderr + crashed.stdout, SECRETS)).toEqual([]);
  });

  it('SASL password of a producer that cannot authenticate (it retries, logging why): not in its logs or endpoints', async () => {
    const sasl = startCli(['produce', '--rate', '10'], {
      ...base,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'loader',
      KAFKA_SASL_PASSWORD: SASL_PASSWORD,
    });
    const port = await metricsPort(sasl);
    await sasl.waitFor(/failed, retrying|SASL|sasl/, 60_000);
    const ops = await opsEndpoints(port);
    expect(ops.healthy).toBe(200);
    sasl.child.kill('SIGTERM');
    const done = await sasl.done;
    expect(leaks([done.stderr, done.stdout, ops.text].join('\n'), SECRETS)).toEqual([]);
  });
});
