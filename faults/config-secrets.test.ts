import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../test-support/cli.js';
import { kafkaBootstrap, uniqueTopic } from '../test-support/kafka.js';
import { snowflakeTestEnv, uniqueSchema } from '../test-support/snowflake.js';

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

describe('secrets never reach logs or metrics', () => {
  it('Snowflake password, key passphrase and SASL password are absent from every log line (debug) and from /metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-secrets-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const key = join(dir, 'key.p8');
      writeFileSync(key, privateKey);
      const topic = uniqueTopic('secrets');
      const base = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic, SNEAKPIPE_LOG_LEVEL: 'debug' };
      const produced = await runCli(['produce', '--count', '300'], base);
      expect(produced.code, produced.stderr).toBe(0);
      const sf = { ...snowflakeTestEnv(), SNOWFLAKE_SCHEMA: uniqueSchema('SECRETS') };
      // Key-pair consumer: the passphrase unlocks the key; the password variable is set too, as a decoy.
      const { SNOWFLAKE_PASSWORD: _ignored, ...withoutPassword } = sf;
      const consumer = startCli(['consume', '--group', `g-${topic}`, '--exit-when-idle', '3000'], {
        ...base,
        ...withoutPassword,
        SNOWFLAKE_PRIVATE_KEY_PATH: key,
        SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: PASSPHRASE,
      });
      const port = Number((await consumer.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
      await consumer.waitFor(/batch loaded/, 120_000);
      const consumerMetrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const consumed = await consumer.done;
      expect(consumed.code, consumed.stderr.slice(-1500)).toBe(0);
      // Password-authenticated producer with SASL against a broker without SASL: it retries, logging why.
      const sasl = startCli(['produce', '--rate', '10'], {
        ...base,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'loader',
        KAFKA_SASL_PASSWORD: SASL_PASSWORD,
      });
      const saslPort = Number((await sasl.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
      await sasl.waitFor(/failed, retrying|SASL|sasl/, 60_000);
      const producerMetrics = await (await fetch(`http://127.0.0.1:${saslPort}/metrics`)).text();
      sasl.child.kill('SIGTERM');
      const saslDone = await sasl.done;
      const everything = [consumed.stderr, consumed.stdout, consumerMetrics, saslDone.stderr, saslDone.stdout, producerMetrics].join('\n');
      expect(consumed.stderr.split('\n').length).toBeGreaterThan(5);
      for (const secret of [PASSWORD, PASSPHRASE, SASL_PASSWORD, 'emulator-ignores-it']) expect(everything, secret).not.toContain(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
