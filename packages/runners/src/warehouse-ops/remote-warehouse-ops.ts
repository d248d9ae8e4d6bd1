import { WAREHOUSE_OPS_METHODS, type WarehouseOps } from './warehouse-ops.js';

/**
 * {@link WarehouseOps} through the process that owns a DuckDB file: each call
 * is `POST <baseUrl>/api/<method>` with the arguments as a JSON array (see
 * `serveWarehouseOps`). The endpoint answers only on loopback.
 */
export function remoteWarehouseOps(baseUrl: string, timeoutMs = 600_000): WarehouseOps {
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: string };
    if (!response.ok) throw new Error(`${baseUrl}/api/${method}: ${body.error ?? `HTTP ${response.status}`}`);
    return body.result;
  };
  return Object.fromEntries(WAREHOUSE_OPS_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as WarehouseOps;
}

/**
 * Answers `POST /api/<method>` for {@link remoteWarehouseOps}: runs the method
 * of `ops` with the JSON arguments. Returns the status and JSON body.
 */
export async function answerWarehouseOps(
  ops: WarehouseOps | undefined,
  method: string,
  body: string,
): Promise<{ status: number; body: unknown }> {
  if (!ops) return { status: 503, body: { error: 'the warehouse is not open yet' } };
  if (!(WAREHOUSE_OPS_METHODS as readonly string[]).includes(method)) return { status: 404, body: { error: `no method ${method}` } };
  let args: unknown;
  try {
    args = JSON.parse(body || '[]');
  } catch {
    return { status: 400, body: { error: 'the body must be a JSON array of arguments' } };
  }
  if (!Array.isArray(args)) return { status: 400, body: { error: 'the body must be a JSON array of arguments' } };
  try {
    const fn = ops[method as keyof WarehouseOps] as (...a: unknown[]) => Promise<unknown>;
    return { status: 200, body: { result: await fn(...args) } };
  } catch (error) {
    return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}
