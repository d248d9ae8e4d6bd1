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

/** The warehouse, with its next `failures` appends rejected by `error` before they reach it; `attempts` holds when each append came (ms). */
function failingAppends(warehouse: Warehouse, failures: number, error: () => Error) {
  let left = failures;
  const attempts: number[] = [];
  return {
    attempts,
    warehouse: {
      ...warehouse,
      positions: warehouse.positions.bind(warehouse),
      query: warehouse.query.bind(warehouse),
      table: warehouse.table.bind(warehouse),
      append: async (load: WarehouseLoad) => {
        attempts.push(performance.now());
        if (left-- > 0) throw error();
        return warehouse.append(load);
      },
    },
  };
}

describe('replayBatch after a warehouse error', () => {
  let warehouse: DuckDbWarehouse;
  beforeEach(async () => {
    warehouse = await DuckDbWarehouse.open({ path: ':memory:' }, { tables: WAREHOUSE_TABLES });
  });
  afterEach(() => warehouse.close());
  const loadedRows = async () => Number((await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('STREAMING_ORDERS')}`))[0]!.N);

  it('a passing error: the batch is tried again, with backoff, and loads once', async () => {
    const conflict = () => Object.assign(new Error('000625 transaction conflict on the catalog'), { code: '000625' });
    const retries: { attempt: number; delayMs: number }[] = [];
    const failing = failingAppends(warehouse, 3, conflict);
    const options = {
      warehouse: failing.warehouse,
      retry: {
        initialDelayMs: 40,
        factor: 2,
        onRetry: (_: unknown, attempt: number, delayMs: number) => retries.push({ attempt, delayMs }),
      },
    };
    expect(await replayBatch(options, candidates)).toMatchObject({ considered: 20, loaded: 20 });
    expect(failing.attempts).toHaveLength(4);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // Each delay is drawn in [d/2, d] of a ceiling d that doubles (40, 80, 160 ms), and each is really waited for.
    retries.forEach(({ delayMs }, i) => {
      const ceiling = 40 * 2 ** i;
      expect(delayMs, `delay before retry ${i + 1}`).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delayMs, `delay before retry ${i + 1}`).toBeLessThanOrEqual(ceiling);
      // Node's timers count whole milliseconds: one may fire a fraction of one early on this clock.
      expect(failing.attempts[i + 1]! - failing.attempts[i]!, `wait before attempt ${i + 2}`).toBeGreaterThanOrEqual(delayMs - 2);
    });
    expect(await loadedRows()).toBe(20);
    // Again: all of them already replayed, nothing loads twice.
    expect(await replayBatch({ warehouse }, candidates)).toMatchObject({ considered: 0, loaded: 0 });
    expect(await loadedRows()).toBe(20);
  });

  it('gives up after its attempts (default 6), and a permanent error fails at once', async () => {
    const passing = () => new Error('connection reset');
    const three = failingAppends(warehouse, 100, passing);
    await expect(
      replayBatch({ warehouse: three.warehouse, retry: { maxAttempts: 3, initialDelayMs: 1, onRetry: () => undefined } }, candidates),
    ).rejects.toThrow('connection reset');
    expect(three.attempts).toHaveLength(3);
    const byDefault = failingAppends(warehouse, 100, passing);
    await expect(
      replayBatch({ warehouse: byDefault.warehouse, retry: { initialDelayMs: 1, maxDelayMs: 1, onRetry: () => undefined } }, candidates),
    ).rejects.toThrow('connection reset');
    expect(byDefault.attempts).toHaveLength(6);
    const refused = () => new SneakpipeError('NOT_AUTHORIZED', 'no INSERT privilege', { retriable: false });
    const once = failingAppends(warehouse, 1, refused);
    await expect(replayBatch({ warehouse: once.warehouse, retry: { initialDelayMs: 1 } }, candidates)).rejects.toThrow(
      'no INSERT privilege',
    );
    expect(once.attempts).toHaveLength(1);
    expect(await loadedRows()).toBe(0);
  });
});
