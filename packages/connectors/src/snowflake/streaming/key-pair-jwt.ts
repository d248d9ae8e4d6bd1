import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { ConfigError } from '@sneakpipe/core';

/** A private key as Snowflake's key-pair authentication takes it, with who it belongs to. */
export interface KeyPairIdentity {
  /** Account identifier, e.g. `myorg-myaccount` (a locator with its region: the locator alone is used). */
  readonly account: string;
  readonly user: string;
  /** PEM text of the private key. */
  readonly privateKey: string;
  readonly passphrase?: string | undefined;
}

/**
 * Signs Snowflake key-pair JWTs: RS256, `iss` = `ACCOUNT.USER.SHA256:<fingerprint of the public key>`,
 * `sub` = `ACCOUNT.USER` (account and user upper-cased, as Snowflake stores them), valid for `lifetimeS`
 * (Snowflake accepts at most one hour). The key is read once.
 */
export class KeyPairJwt {
  private readonly key: KeyObject;
  private readonly subject: string;
  private readonly issuer: string;

  constructor(identity: KeyPairIdentity) {
    try {
      this.key = createPrivateKey({ key: identity.privateKey, ...(identity.passphrase ? { passphrase: identity.passphrase } : {}) });
    } catch (error) {
      throw new ConfigError(`the Snowflake private key is not a usable PEM key: ${(error as Error).message}`, { cause: error });
    }
    // `xy12345.us-east-1` → `XY12345`: a locator's region is not part of the name Snowflake signs in with.
    const account = (identity.account.includes('.') ? identity.account.split('.')[0]! : identity.account).toUpperCase();
    this.subject = `${account}.${identity.user.toUpperCase()}`;
    this.issuer = `${this.subject}.${publicKeyFingerprint(this.key)}`;
  }

  /** A token issued now, expiring `lifetimeS` seconds later. */
  sign(lifetimeS = 3540, now = Date.now()): string {
    const iat = Math.floor(now / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: this.issuer, sub: this.subject, iat, exp: iat + lifetimeS })}`;
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), this.key).toString('base64url')}`;
  }
}

/** `SHA256:` and the base64 SHA-256 of the public key's DER, as `DESC USER` shows it in `RSA_PUBLIC_KEY_FP`. */
export function publicKeyFingerprint(key: KeyObject): string {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}
