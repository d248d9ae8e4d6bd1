import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbEngine, type DuckDbEngineOptions } from './duckdb-engine.js';
import { toCrossing, type FromEngine, type ToEngine } from './engine-link.js';

/*
 * DuckDB's thread: the entry of the worker that `DuckDbWarehouse` starts (see
 * `threadLink`). It opens the engine, answers id 0 with the outcome (the
 * catalog of its tables, or the error), then runs each operation it is sent,
 * in order (the engine queues its statements).
 */
const port = parentPort!;
const reply = (message: FromEngine) => port.postMessage(message);
const options = (workerData as { sneakpipeDuckdb: DuckDbEngineOptions }).sneakpipeDuckdb;
try {
  const engine = await DuckDbEngine.open(options);
  port.on('message', ({ id, op, args }: ToEngine) => {
    (engine[op] as (...a: unknown[]) => Promise<unknown>)(...args).then(
      (value) => reply({ id, ok: true, value }),
      (error: unknown) => reply({ id, ok: false, error: toCrossing(error) }),
    );
  });
  reply({ id: 0, ok: true, value: engine.database });
} catch (error) {
  reply({ id: 0, ok: false, error: toCrossing(error) });
}
