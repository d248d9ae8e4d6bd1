/**
 * `replayBatch` through a passing warehouse error (the emulator's catalog
 * conflict 000625 when sessions create their staging tables at once): the
 * batch is tried again and every record still loads exactly once; a
 * permanent error fails at once. A real DuckDB warehouse; only the failure of
 * one `append` is injected.
 */
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { SneakpipeError, type Warehouse, type WarehouseLoad } from '@sneakpipe/core';
import { OrderEventGenerator, replayBatch, WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const encoder = new TextEncoder();
const generator = new OrderEventGenerator({ seed: 9, start: Date.UTC(2025, 0, 1) });
const candidates = Array.from({ length: 20 }, (_, i) => ({ id: `old:0:${i}`, raw: encoder.encode(JSON.stringify(generator.draw())) }));

/** The warehouse, with its next `failures` appends rejected by `error` before they reach it. */
function failingAppends(warehouse: Warehouse, failures: number, error: () => Error) {
  let left = failures;
  return {
    ...warehouse,
    positions: warehouse.positions.bind(warehouse),
    query: warehouse.query.bind(warehouse),
    table: warehouse.table.bind(warehouse),
    append: async (load: WarehouseLoad) => {
      if (left-- > 0) throw error();
      return warehouse.append(load);
    },
  };
}

describe('replayBatch after a warehouse error', () => {
  let warehouse: DuckDbWarehouse;
  beforeEach(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:', tables: WAREHOUSE_TABLES });
  });
  afterEach(() => warehouse.close());
  const loadedRows = async () => Number((await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('STREAMING_ORDERS')}`))[0]!.N);

  it('a passing error: the batch is tried again, with backoff, and loads once', async () => {
    const conflict = () => Object.assign(new Error('000625 transaction conflict on the catalog'), { code: '000625' });
    const retries: number[] = [];
    const options = {
      warehouse: failingAppends(warehouse, 2, conflict),
      retry: { initialDelayMs: 1, onRetry: (_: unknown, n: number) => retries.push(n) },
    };
    expect(await replayBatch(options, candidates)).toMatchObject({ considered: 20, loaded: 20 });
    expect(retries).toEqual([1, 2]);
    expect(await loadedRows()).toBe(20);
    // Again: all of them already replayed, nothing loads twice.
    expect(await replayBatch({ warehouse }, candidates)).toMatchObject({ considered: 0, loaded: 0 });
    expect(await loadedRows()).toBe(20);
  });

  it('gives up after its attempts, and a permanent error fails at once', async () => {
    const passing = () => new Error('connection reset');
    await expect(
      replayBatch({ warehouse: failingAppends(warehouse, 3, passing), retry: { maxAttempts: 3, initialDelayMs: 1 } }, candidates),
    ).rejects.toThrow('connection reset');
    let tries = 0;
    const refused = () => (tries++, new SneakpipeError('NOT_AUTHORIZED', 'no INSERT privilege', { retriable: false }));
    await expect(
      replayBatch({ warehouse: failingAppends(warehouse, 1, refused), retry: { initialDelayMs: 1 } }, candidates),
    ).rejects.toThrow('no INSERT privilege');
    expect(tries).toBe(1);
    expect(await loadedRows()).toBe(0);
  });
});
