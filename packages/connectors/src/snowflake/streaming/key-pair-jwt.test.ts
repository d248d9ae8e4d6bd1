import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { ConfigError } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { KeyPairJwt, publicKeyFingerprint } from './key-pair-jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

describe('KeyPairJwt', () => {
  it('signs RS256 tokens Snowflake accepts: upper-cased issuer with the key fingerprint, subject, at most an hour', () => {
    const token = new KeyPairJwt({ account: 'myorg-acct', user: 'loader', privateKey: pem }).sign(3540, Date.UTC(2026, 0, 1));
    const [header, claims, signature] = token.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const fingerprint = `SHA256:${createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64')}`;
    const iat = Date.UTC(2026, 0, 1) / 1000;
    expect(decode(claims)).toEqual({ iss: `MYORG-ACCT.LOADER.${fingerprint}`, sub: 'MYORG-ACCT.LOADER', iat, exp: iat + 3540 });
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it("uses a locator's name without its region, and reads an encrypted key with its passphrase", () => {
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    const token = new KeyPairJwt({ account: 'xy12345.us-east-1', user: 'u', privateKey: encrypted, passphrase: 'secret' }).sign();
    expect(decode(token.split('.')[1]!).sub).toBe('XY12345.U');
  });

  it('refuses a key that is not PEM with a ConfigError', () => {
    expect(() => new KeyPairJwt({ account: 'a', user: 'u', privateKey: 'not a key' })).toThrow(ConfigError);
  });

  it('gives the fingerprint DESC USER shows (SHA-256 of the public key, base64)', () => {
    const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    expect(publicKeyFingerprint(privateKey)).toBe(`SHA256:${createHash('sha256').update(der).digest('base64')}`);
  });
});
