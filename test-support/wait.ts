import { inspect } from 'node:util';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** Longest wait, ms. Default 30,000. */
  timeoutMs?: number;
  /** Time between two probes, ms. Default 100. */
  everyMs?: number;
  /** What was seen, for the timeout's message. Default: the probe's last error, if it threw. */
  seen?: () => unknown;
}

/**
 * Probes until `probe` returns something other than `undefined`, and returns
 * it: a test waits for the event it needs instead of sleeping a fixed time
 * and hoping the event came. After `timeoutMs` it throws, naming what it
 * waited for and what it saw, so a failure on a slow machine says how far
 * things got.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() >= deadline) {
      const seen = options.seen ? options.seen() : failure;
      const said = typeof seen === 'string' ? seen : inspect(seen, { depth: 4, breakLength: Infinity });
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${said}`);
    }
    await sleep(options.everyMs ?? 100);
  }
}

/**
 * `work`'s result, or, if it has not settled after `timeoutMs`, a rejection
 * naming what it was and what `seen()` says by then (the wait itself goes on
 * in the background, unobserved).
 */
export async function within<T>(what: string, timeoutMs: number, work: Promise<T>, seen: () => unknown = () => 'nothing more'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const said = seen();
      reject(new Error(`${what}: not done after ${timeoutMs} ms; seen: ${typeof said === 'string' ? said : inspect(said, { depth: 4 })}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
