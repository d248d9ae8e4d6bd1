import { describe, expect, it } from 'vitest';
import { SnowflakeConnectionSchema, authenticationOf } from './config.js';

describe('Snowflake connection settings', () => {
  const base = { account: 'acme-prod', username: 'loader' };

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
});
