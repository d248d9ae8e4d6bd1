import { Worker } from 'node:worker_threads';
import { PositionConflictError, SneakpipeError, type ErrorCode, type PositionConflict } from '@sneakpipe/core';
import type { DuckDbEngine, DuckDbEngineOptions } from './duckdb-engine.js';

/** The engine's operations, as {@link EngineLink.call} names them. */
export type EngineOp = 'init' | 'append' | 'positions' | 'insertIfAbsent' | 'addColumns' | 'query' | 'close';
type Args<K extends EngineOp> = Parameters<DuckDbEngine[K]>;
type Result<K extends EngineOp> = Awaited<ReturnType<DuckDbEngine[K]>>;

/** How `DuckDbWarehouse` reaches its engine: on DuckDB's own thread, or on this one. */
export interface EngineLink {
  /** The catalog of the engine's tables, as it opened the file (see `DuckDbEngine.database`). */
  readonly database: string;
  /** Whether the engine runs on a thread of its own ({@link threadLink}) rather than this one ({@link localLink}). */
  readonly ownThread: boolean;
  /** Runs an operation; `transfer`: buffers of the arguments to move to the engine's thread rather than copy. */
  call<K extends EngineOp>(op: K, args: Args<K>, transfer?: ArrayBuffer[]): Promise<Result<K>>;
  /** Ends the link once the engine is closed. */
  end(): Promise<void>;
}

/** The engine on this thread (`thread: false`, or no thread entry to run: see `DuckDbWarehouse.onOwnThread`). */
export function localLink(engine: DuckDbEngine): EngineLink {
  return {
    database: engine.database,
    ownThread: false,
    call: (op, args) => (engine[op] as (...a: unknown[]) => Promise<never>)(...args),
    end: async () => undefined,
  };
}

/** An error as it crosses threads: what sneakpipe's errors carry, kept (a clone would keep only the message). */
export interface CrossingError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: ErrorCode;
  readonly retriable?: boolean;
  readonly conflicts?: readonly PositionConflict[];
  /** The driver's error beneath a mapped one (see `duckdbError`). */
  readonly cause?: CrossingError;
}

/** An error as it can cross to another thread (see {@link fromCrossing}). */
export function toCrossing(error: unknown, depth = 0): CrossingError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const base = {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(error.cause !== undefined && depth < 4 ? { cause: toCrossing(error.cause, depth + 1) } : {}),
  };
  if (error instanceof PositionConflictError) return { ...base, conflicts: error.conflicts };
  if (error instanceof SneakpipeError) return { ...base, code: error.code, retriable: error.retriable };
  return base;
}

/** The error again, of its class (`PositionConflictError`, `SneakpipeError` with its code, or an `Error`), its stack and cause the engine's. */
export function fromCrossing(crossing: CrossingError): Error {
  const cause = crossing.cause ? fromCrossing(crossing.cause) : undefined;
  const error = crossing.conflicts
    ? new PositionConflictError(crossing.conflicts)
    : crossing.code
      ? new SneakpipeError(crossing.code, crossing.message, { retriable: crossing.retriable ?? false, cause })
      : new Error(crossing.message, cause ? { cause } : undefined);
  if (!crossing.conflicts && !crossing.code && crossing.name !== 'Error') Object.defineProperty(error, 'name', { value: crossing.name });
  if (crossing.stack) error.stack = crossing.stack;
  return error;
}

/** Messages between the warehouse and its thread. */
export type ToEngine = { id: number; op: EngineOp; args: unknown[] };
export type FromEngine = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: CrossingError };

/**
 * The engine on a worker thread (`duckdb-thread.js`): DuckDB's work — the
 * appends, each COMMIT and its checkpoint — never waits for this thread, and
 * this thread never waits for it. Resolves once the engine is open.
 */
export async function threadLink(script: URL, options: DuckDbEngineOptions): Promise<EngineLink> {
  const worker = new Worker(script, { workerData: { sneakpipeDuckdb: options } });
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failed: Error | undefined;
  const fail = (error: Error) => {
    failed ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (message: FromEngine) => {
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    if (message.ok) p.resolve(message.value as never);
    else p.reject(fromCrossing(message.error));
  });
  // The warehouse is gone with its thread: not retriable, the process must stop (and be restarted: the file keeps every committed load).
  const gone = (what: string, cause?: unknown) =>
    fail(new SneakpipeError('WAREHOUSE_UNAVAILABLE', `the DuckDB thread ${what}`, { retriable: false, cause }));
  worker.on('error', (error) => gone(`failed: ${error.message}`, error));
  worker.on('exit', (code) => gone(`exited (code ${code})`));
  const call = <K extends EngineOp>(op: K, args: Args<K>, transfer: ArrayBuffer[] = []) =>
    new Promise<Result<K>>((resolve, reject) => {
      if (failed) return reject(failed);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      // Referenced while a call is pending, so a script awaiting the warehouse does not exit under it.
      worker.ref();
      worker.postMessage({ id, op, args } satisfies ToEngine, transfer);
    });
  // Id 0 answers the opening, with the engine's catalog.
  const database = await new Promise<string>((resolve, reject) => {
    pending.set(0, { resolve: resolve as (value: never) => void, reject });
    worker.ref();
  });
  return {
    database,
    ownThread: true,
    call,
    end: async () => {
      await worker.terminate();
    },
  };
}
