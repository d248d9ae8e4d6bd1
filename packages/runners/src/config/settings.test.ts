import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { KafkaSettingsSchema } from '@sneakpipe/connectors/kafka';
import { SnowflakeSettingsSchema } from '@sneakpipe/connectors/settings';
import { addSettings, connectorSettings, resolveSettings, SettingsError } from './settings.js';
import { snowflakeConnection, snowflakeSettings } from './snowflake-settings.js';

const kafka = connectorSettings(KafkaSettingsSchema, 'kafka');
const snowflake = connectorSettings(SnowflakeSettingsSchema, 'snowflake');

/** The message of the SettingsError `work` throws. */
function failure(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('settings read from a connector schema', () => {
  it('flattens the schema under a prefix, leaving out what is not a setting', () => {
    expect(Object.keys(kafka.settings)).toEqual([
      'kafkaBrokers',
      'kafkaClient',
      'kafkaSsl',
      'kafkaSslCaFile',
      'kafkaSaslMechanism',
      'kafkaSaslUsername',
      'kafkaSaslPassword',
      'kafkaCompression',
    ]);
  });

  it('reads flag, then environment, then the schema default, with the schema converting text', () => {
    const env = { KAFKA_BOOTSTRAP: 'a:1, b:2', KAFKA_SSL: 'true' };
    expect(resolveSettings(kafka.settings, {}, env)).toMatchObject({
      kafkaBrokers: ['a:1', 'b:2'],
      kafkaSsl: true,
      kafkaClient: 'platformatic',
    });
    expect(resolveSettings(kafka.settings, { brokers: 'c:3' }, env).kafkaBrokers).toEqual(['c:3']);
    expect(resolveSettings(kafka.settings, {}, { KAFKA_BOOTSTRAP: '' }).kafkaBrokers).toEqual(['localhost:9092']);
  });

  it('names the bad setting where its value came from, and never echoes a secret', () => {
    expect(failure(() => resolveSettings(kafka.settings, { brokers: 'nope' }, {}))).toBe(
      'invalid setting --brokers: expected HOST:PORT[,HOST:PORT…]; got "nope"',
    );
    expect(failure(() => resolveSettings(kafka.settings, {}, { KAFKA_SASL_PASSWORD: '', KAFKA_COMPRESSION: 'zstd' }))).toMatch(
      /^invalid setting KAFKA_COMPRESSION: expected none, gzip or lz4/,
    );
    const values = resolveSettings(kafka.settings, {}, { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'Sup3r-secret' });
    const incomplete = failure(() => kafka.check(values));
    expect(incomplete).toMatch(/^invalid setting --kafka-sasl-mechanism \(or KAFKA_SASL_MECHANISM\): incomplete SASL settings/);
    expect(incomplete).not.toContain('Sup3r-secret');
  });

  it('checks the rules between settings with the connector schema, naming every setting that would satisfy one', () => {
    const env = { SNOWFLAKE_ACCOUNT: 'acme', SNOWFLAKE_USER: 'loader', SNOWFLAKE_DATABASE: 'SHOP' };
    const values = resolveSettings(snowflake.settings, {}, env);
    expect(failure(() => snowflake.check(values))).toBe(
      'invalid setting SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH: expected a password or a private key (key-pair authentication); got nothing',
    );
    const ok = snowflake.check({ ...values, snowflakePassword: 'pw' });
    // The connector's own defaults are neutral: Snowflake's PUBLIC schema, no database.
    expect(ok).toMatchObject({ account: 'acme', username: 'loader', database: 'SHOP', schema: 'PUBLIC', protocol: 'https' });
    const noDatabase = resolveSettings(snowflake.settings, {}, { ...env, SNOWFLAKE_DATABASE: '', SNOWFLAKE_PASSWORD: 'pw' });
    expect(failure(() => snowflake.check(noDatabase))).toBe(
      'invalid setting --snowflake-database (or SNOWFLAKE_DATABASE): expected the database to load into; got nothing',
    );
  });

  it("gives the CLI's Snowflake settings the shop's database and schema as defaults, RETAIL_LAB.STG", () => {
    const env = { SNOWFLAKE_ACCOUNT: 'acme', SNOWFLAKE_USER: 'loader', SNOWFLAKE_PASSWORD: 'pw' };
    expect(snowflakeConnection(resolveSettings(snowflakeSettings, {}, env))).toMatchObject({ database: 'RETAIL_LAB', schema: 'STG' });
    const chosen = resolveSettings(snowflakeSettings, {}, { ...env, SNOWFLAKE_DATABASE: 'ANALYTICS', SNOWFLAKE_SCHEMA: 'RAW' });
    expect(snowflakeConnection(chosen)).toMatchObject({ database: 'ANALYTICS', schema: 'RAW' });
    const help = addSettings(new Command('x'), snowflakeSettings).helpInformation();
    expect(help).toMatch(/--snowflake-database <name>[^]*\(env\s+SNOWFLAKE_DATABASE, default\s+RETAIL_LAB\)/);
    expect(help).toMatch(/--snowflake-schema <name>[^]*\(env\s+SNOWFLAKE_SCHEMA, default\s+STG\)/);
  });

  it('documents each flag in --help with its environment variable and default, hiding a secret default', () => {
    const help = addSettings(new Command('x'), kafka.settings).helpInformation();
    expect(help).toMatch(/--brokers <host:port,…>\s+Kafka bootstrap servers \(env\s+KAFKA_BOOTSTRAP, default\s+localhost:9092\)/);
    expect(help).toMatch(/--kafka-sasl-password <password>[^]*\(env\s+KAFKA_SASL_PASSWORD\)/);
  });
});
