import { ConfigError, isRetriable } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { failureOf } from '@sneakpipe/test-support/failure';
import { SnowflakeConnectionSchema, authenticationOf, type SnowflakeConnection } from './config.js';
import { SnowflakeWarehouse } from './snowflake-warehouse.js';

describe('Snowflake connection settings', () => {
  const base = { account: 'acme-prod', username: 'loader', database: 'ANALYTICS' };

  it('authenticates with the key pair whenever a private key is given, a password set as well being ignored', () => {
    expect(authenticationOf({ ...base, password: 'pw' })).toBe('password');
    expect(authenticationOf({ ...base, privateKeyPath: '/run/secrets/key.p8' })).toBe('key-pair');
    expect(authenticationOf({ ...base, privateKeyPath: '/run/secrets/key.p8', password: 'pw' })).toBe('key-pair');
    expect(authenticationOf({ ...base, privateKey: 'a PEM key (its text is not read here)', password: 'pw' })).toBe('key-pair');
  });

  it('needs a password or a private key, and never echoes the password', () => {
    const none = SnowflakeConnectionSchema.safeParse(base);
    expect(none.error?.issues[0]?.message).toMatch(/password or a private key/);
    const http = SnowflakeConnectionSchema.safeParse({ ...base, password: 'Hunter2-secret', protocol: 'http', host: 'example.com' });
    expect(http.success).toBe(false);
    expect(JSON.stringify(http.error)).not.toContain('Hunter2-secret');
  });

  it('has no default database (Snowflake has none) and the PUBLIC schema by default', () => {
    expect(SnowflakeConnectionSchema.parse({ ...base, password: 'pw' })).toMatchObject({ database: 'ANALYTICS', schema: 'PUBLIC' });
    const { database: _database, ...noDatabase } = base;
    expect(SnowflakeConnectionSchema.safeParse({ ...noDatabase, password: 'pw' }).error?.issues[0]).toMatchObject({
      path: ['database'],
      message: 'expected the database to load into',
    });
  });

  it('open: a bad setting is a ConfigError naming it, not retriable, before anything connects', async () => {
    const { database: _database, ...noDatabase } = base;
    const cases = [
      [{ ...noDatabase, password: 'Hunter2-secret' }, /^invalid Snowflake setting database: expected the database to load into$/],
      [
        { ...base, password: 'Hunter2-secret', schema: 'STG; DROP TABLE X' },
        /^invalid Snowflake setting schema: expected a Snowflake identifier/,
      ],
      [{ ...base }, /^invalid Snowflake setting password: expected a password or a private key/],
    ] as const;
    for (const [settings, message] of cases) {
      // As settings come from JavaScript or a file: what the types would have refused is refused when it opens.
      const error = await failureOf<ConfigError>(() => SnowflakeWarehouse.open(settings as SnowflakeConnection, { tables: [] }));
      expect(error).toBeInstanceOf(ConfigError);
      expect([error.code, isRetriable(error)]).toEqual(['CONFIG_INVALID', false]);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('Hunter2-secret');
    }
  });
});
