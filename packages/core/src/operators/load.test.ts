import fc from 'fast-check';
import { VirtualAction, VirtualTimeScheduler, firstValueFrom, from, lastValueFrom, tap, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import type { Sink } from '../contracts/sink.js';
import { nextOffsets } from '../contracts/offsets.js';
import { backoffDelay } from '../retry/backoff.js';
import { load } from './load.js';
import { SneakpipeError } from '../errors/sneakpipe-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { silentLogger } from '../logging/logger.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `work`, with the virtual scheduler run each time the promises in between have settled, until `work` has. */
async function settled<T>(scheduler: VirtualTimeScheduler, work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) {
    await new Promise((r) => setImmediate(r));
    scheduler.flush();
  }
  return result;
}

describe('load()', () => {
  it('emits batches in input order even when writes finish out of order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        async (delays, concurrency) => {
          const written: number[] = [];
          const sink: Sink<number> = {
            write: async ([i]) => {
              await sleep(delays[i!]!);
              written.push(i!);
            },
          };
          const out = await lastValueFrom(from(delays.map((_, i) => [i])).pipe(load(sink, { concurrency }), toArray()));
          expect(out.map((b) => b.items[0])).toEqual(delays.map((_, i) => i));
          expect([...written].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never emits a batch before every earlier batch is durable (offsets from the output are safe to commit)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(4), { minLength: 1, maxLength: 25 }), async (delays) => {
        const durable = new Set<number>();
        const sink: Sink<number> = { write: async ([i]) => void (await sleep(delays[i!]!), durable.add(i!)) };
        const emittedWhileDurable: boolean[] = [];
        await lastValueFrom(
          from(delays.map((_, i) => [i])).pipe(
            load(sink, { concurrency: 4 }),
            tap((b) => emittedWhileDurable.push(Array.from({ length: b.items[0]! + 1 }, (_, j) => j).every((j) => durable.has(j)))),
          ),
        );
        expect(emittedWhileDurable).toEqual(delays.map(() => true));
      }),
      { numRuns: 100 },
    );
  });

  it('retries failures with backoff (delays that double, within their jitter, up to the cap) and reports the attempts', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
    const calls: number[] = [];
    const retried: { attempt: number; delayMs: number }[] = [];
    const sink: Sink<string> = {
      write: async () => {
        calls.push(scheduler.now());
        if (calls.length < 6) throw new Error('warehouse down');
      },
    };
    const retry = {
      initialDelayMs: 100,
      maxDelayMs: 300,
      onRetry: (_e: unknown, attempt: number, delayMs: number) => retried.push({ attempt, delayMs }),
    };
    const [result] = await settled(
      scheduler,
      firstValueFrom(from([['a']]).pipe(load(sink, { retry, scheduler, logger: silentLogger }), toArray())),
    );
    expect(result!.attempts).toBe(6);
    expect(retried.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5]);
    // On virtual time the waits are exactly the delays: each in [d/2, d] of a ceiling d of 100, 200, then 300 ms (capped).
    const waits = calls.slice(1).map((at, i) => at - calls[i]!);
    [100, 200, 300, 300, 300].forEach((ceiling, i) => {
      const what = `wait before attempt ${i + 2} (waits: ${waits.map((w) => w.toFixed(1)).join(', ')} ms)`;
      expect(waits[i], what).toBeCloseTo(retried[i]!.delayMs, 6);
      expect(waits[i], what).toBeGreaterThanOrEqual(ceiling / 2);
      expect(waits[i], what).toBeLessThanOrEqual(ceiling);
    });
    expect(result!.durationMs).toBeCloseTo(calls.at(-1)! - calls[0]!, 6);
  });

  it('says every retry by default: one warn line on stderr with the code, the cause and the next delay', async () => {
    const lines: string[] = [];
    const stderr = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    let calls = 0;
    const sink: Sink<string> = {
      write: async () => {
        if (++calls < 3) throw new SneakpipeError('WAREHOUSE_UNAVAILABLE', 'warehouse down', { retriable: true });
      },
    };
    try {
      await lastValueFrom(from([['a']]).pipe(load(sink, { retry: { initialDelayMs: 100, factor: 1 } })));
    } finally {
      stderr.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^warn: load failed, retrying in 0\.\d s \(attempt 1\): warehouse down \[WAREHOUSE_UNAVAILABLE\]$/);
    expect(lines[1]).toMatch(/\(attempt 2\)/);
  });

  it('gives up after maxAttempts and errors; batches after the failure are never emitted', async () => {
    let attemptsOnOne = 0;
    const sink: Sink<number> = {
      write: async ([i]) => {
        if (i === 1) {
          attemptsOnOne++;
          throw new Error('bad batch');
        }
      },
    };
    const seen: number[] = [];
    const failure = await new Promise<unknown>((resolve) =>
      from([[0], [1], [2]])
        .pipe(load(sink, { retry: { maxAttempts: 3, initialDelayMs: 1 } }))
        .subscribe({ next: (b) => seen.push(b.items[0]!), error: resolve }),
    );
    expect((failure as Error).message).toBe('bad batch');
    expect(attemptsOnOne).toBe(3);
    expect(seen).toEqual([0]);
  });

  it('does not retry errors that are not retryable', async () => {
    let calls = 0;
    const sink: Sink<number> = {
      write: async () => {
        calls++;
        throw new TypeError('schema mismatch');
      },
    };
    const retry = { isRetriable: (e: unknown) => !(e instanceof TypeError) };
    await expect(lastValueFrom(from([[1]]).pipe(load(sink, { retry })))).rejects.toThrow('schema mismatch');
    expect(calls).toBe(1);
  });
});

describe('backoffDelay()', () => {
  it('grows exponentially, is capped, and stays within [d/2, d]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2 }, () => r);
        const ceiling = Math.min(10_000, 100 * 2 ** (attempt - 1));
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('nextOffsets()', () => {
  it('commits, per partition, the highest offset seen plus one', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ partition: fc.nat(3), offset: fc.nat(1_000) }), { maxLength: 50 }), (positions) => {
        const out = nextOffsets(positions.map((p) => ({ position: { topic: 't', ...p } })));
        const expected = new Map<number, number>();
        for (const p of positions) expected.set(p.partition, Math.max(expected.get(p.partition) ?? -1, p.offset + 1));
        expect(new Map(out.map((p) => [p.partition, p.offset]))).toEqual(expected);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('load() attempt timeout', () => {
  it('counts a write that hangs past attemptTimeoutMs as failed, retries it, and reports the retry', async () => {
    let calls = 0;
    const retried: unknown[] = [];
    const sink: Sink<number> = {
      write: () => (++calls === 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
    };
    const [result] = await firstValueFrom(
      from([[1]]).pipe(load(sink, { attemptTimeoutMs: 20, retry: { initialDelayMs: 1, onRetry: (e) => retried.push(e) } }), toArray()),
    );
    expect(result!.attempts).toBe(2);
    expect(String(retried[0])).toMatch(/timed out after 20 ms/);
  });
});

describe('load(): what is retried', () => {
  const permanent = () => new SneakpipeError('AUTH_FAILED', 'wrong password', { retriable: false });

  it('a permanent error fails the write after one attempt, without waiting, and errors the stream with it', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
    let attempts = 0;
    const retried: number[] = [];
    const sink: Sink<string> = {
      write: async () => {
        attempts++;
        throw permanent();
      },
    };
    let failure: unknown;
    from([['a']])
      .pipe(
        load(sink, {
          scheduler,
          logger: silentLogger,
          retry: { initialDelayMs: 200, maxAttempts: 3, onRetry: (_e, n) => retried.push(n) },
        }),
      )
      .subscribe({ error: (error: unknown) => (failure = error) });
    // The write's rejection settles; the virtual clock is never run.
    await new Promise((r) => setImmediate(r));
    // Nothing scheduled on the clock: no wait at all.
    expect(
      scheduler.actions.map((a) => a.delay),
      'waits scheduled',
    ).toEqual([]);
    expect(failure).toBeInstanceOf(SneakpipeError);
    expect((failure as SneakpipeError).code).toBe('AUTH_FAILED');
    expect(attempts).toBe(1);
    expect(retried).toEqual([]);
  });

  it('a retriable error (classified, or unclassified) is retried until the write succeeds', async () => {
    const failures = [new SneakpipeError('WAREHOUSE_UNAVAILABLE', 'down', { retriable: true }), new Error('socket hang up')];
    let attempts = 0;
    const sink: Sink<string> = {
      write: async () => {
        const failure = failures[attempts++];
        if (failure) throw failure;
      },
    };
    const [result] = await firstValueFrom(from([['a']]).pipe(load(sink, { retry: { initialDelayMs: 1 } }), toArray()));
    expect(result!.attempts).toBe(3);
  });

  it('a slow attempt fails with a TimeoutError and is retried', async () => {
    let attempts = 0;
    const errors: unknown[] = [];
    const sink: Sink<string> = { write: () => (++attempts === 1 ? new Promise<void>(() => undefined) : Promise.resolve()) };
    const [result] = await firstValueFrom(
      from([['a']]).pipe(load(sink, { attemptTimeoutMs: 20, retry: { initialDelayMs: 1, onRetry: (e) => errors.push(e) } }), toArray()),
    );
    expect(result!.attempts).toBe(2);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
    expect((errors[0] as TimeoutError).code).toBe('TIMEOUT');
  });

  it('a policy of its own (isRetriable) replaces the default', async () => {
    let attempts = 0;
    const sink: Sink<string> = {
      write: async () => {
        if (++attempts < 2) throw permanent();
      },
    };
    const [result] = await firstValueFrom(
      from([['a']]).pipe(load(sink, { retry: { initialDelayMs: 1, isRetriable: () => true } }), toArray()),
    );
    expect(result!.attempts).toBe(2);
  });
});
