import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import type { Logger } from '../logging/logger.js';
import { retry } from './retry.js';

/** A logger that keeps its warn lines. */
function recording(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: () => undefined, debug: () => undefined, warn: (_fields, message) => void lines.push(message) };
}

describe('retry()', () => {
  it('tries until it succeeds, with growing delays, and tells each retry', async () => {
    const logger = recording();
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(
      async (n) => {
        calls++;
        if (n < 4) throw new Error(`down ${n}`);
        return 'up';
      },
      { what: 'connecting', initialDelayMs: 4, factor: 2, logger, onRetry: (_e, _n, ms) => delays.push(ms) },
    );
    expect(result).toBe('up');
    expect(calls).toBe(4);
    // Equal jitter: the n-th delay lies in [d/2, d] of d = 4, 8, 16 ms: it grows.
    expect(delays).toHaveLength(3);
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(2 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(4 * 2 ** i);
    });
    expect(logger.lines).toHaveLength(3);
    expect(logger.lines[0]).toMatch(/^connecting failed, retrying in 0\.0 s \(attempt 1\): down 1$/);
  });

  it('throws at once what is not worth retrying, and the last error after maxAttempts', async () => {
    let calls = 0;
    const bad = new ConfigError('bad setting');
    await expect(retry(async () => (calls++, Promise.reject(bad)), { what: 'x', logger: recording() })).rejects.toBe(bad);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retry(async (n) => (calls++, Promise.reject(new Error(`try ${n}`))), {
        what: 'x',
        maxAttempts: 3,
        initialDelayMs: 1,
        logger: recording(),
      }),
    ).rejects.toThrow('try 3');
    expect(calls).toBe(3);
  });

  it('gives up with the last error once stopped() says so', async () => {
    let stop = false;
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          stop = calls === 2;
          throw new Error(`fail ${calls}`);
        },
        { what: 'x', initialDelayMs: 1, logger: recording(), stopped: () => stop },
      ),
    ).rejects.toThrow('fail 2');
    expect(calls).toBe(2);
  });
});
