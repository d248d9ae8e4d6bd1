/**
 * Node's system error codes that mean a network path failed for now: the peer
 * refused or reset the connection, a route or name lookup failed, a socket
 * timed out. Connectors use them to recognise an unreachable service through
 * their drivers' wrappers.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * The errors under `error`, itself first: its `cause` chain, a driver's
 * `originalError`, and the members of an `AggregateError` (or a driver's
 * `errors` array), breadth first and bounded.
 */
export function errorChain(error: unknown, limit = 50): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < limit) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || out.includes(e)) continue;
    out.push(e);
    const { cause, originalError, errors } = e as { cause?: unknown; originalError?: unknown; errors?: unknown };
    if (cause !== undefined) queue.push(cause);
    if (originalError !== undefined) queue.push(originalError);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return out;
}

/** The first transient network code (connection refused or reset, timeouts, DNS failures: `TRANSIENT_NETWORK_CODES`) found in `error`'s chain, if any. */
export function transientNetworkCode(error: unknown): string | undefined {
  for (const e of errorChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}
