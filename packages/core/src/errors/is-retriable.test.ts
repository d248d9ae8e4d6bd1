import { describe, expect, it } from 'vitest';
import { CodecError } from '../contracts/codec.js';
import { PositionConflictError } from '../contracts/warehouse.js';
import { ConfigError } from './config-error.js';
import { isRetriable } from './is-retriable.js';
import { transientNetworkCode } from './network-codes.js';
import { parseConfig } from './parse-config.js';
import { SneakpipeError } from './sneakpipe-error.js';
import { TimeoutError } from './timeout-error.js';
import { z } from 'zod';

describe('the error model', () => {
  it('gives each error a stable code and retriability, and keeps the cause', () => {
    const cause = new Error('driver said no');
    const auth = new SneakpipeError('AUTH_FAILED', 'wrong password', { retriable: false, cause });
    expect([auth.code, auth.retriable, auth.cause, auth instanceof Error]).toEqual(['AUTH_FAILED', false, cause, true]);
    expect([new ConfigError('bad').code, new TimeoutError('slow', 5).code, new CodecError('not JSON').code]).toEqual([
      'CONFIG_INVALID',
      'TIMEOUT',
      'CODEC_INVALID',
    ]);
    expect(new PositionConflictError([]).code).toBe('POSITION_CONFLICT');
  });

  it('isRetriable: a classified error says itself, also when wrapped; an unclassified one is retried', () => {
    expect(isRetriable(new ConfigError('bad account'))).toBe(false);
    expect(isRetriable(new CodecError('not JSON'))).toBe(false);
    expect(isRetriable(new TimeoutError('slow', 5))).toBe(true);
    expect(isRetriable(new PositionConflictError([]))).toBe(true);
    const permanent = new SneakpipeError('NOT_AUTHORIZED', 'no privilege', { retriable: false });
    expect(isRetriable(new Error('load failed', { cause: permanent }))).toBe(false);
    expect(isRetriable(new AggregateError([permanent], 'all attempts failed'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetriable(new Error('something nobody classified'))).toBe(true);
  });

  it('finds a transient network code through wrappers', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(transientNetworkCode(new AggregateError([new Error('wrapped', { cause: refused })]))).toBe('ECONNREFUSED');
    expect(transientNetworkCode(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBeUndefined();
  });

  it('parseConfig: a ConfigError naming the setting, never echoing the value', () => {
    const schema = z.object({ port: z.number().int().max(65535, 'expected a port'), password: z.string().min(8, 'too short') });
    expect(parseConfig(schema, { port: 1, password: 'long enough' }, 'test')).toEqual({ port: 1, password: 'long enough' });
    let thrown: unknown;
    try {
      parseConfig(schema, { port: 70000, password: 'hunter2' }, 'test');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe('invalid test setting port: expected a port; password: too short');
    expect((thrown as Error).message).not.toContain('hunter2');
  });
});
