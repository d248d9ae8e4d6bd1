import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decoded, OrderEvent } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDbFile as countInFile } from '../../../../test-support/duckdb.js';
import { decodedEvents, describeWarehouseContract } from '../../../../test-support/warehouse-contract.js';
import { DuckDbWarehouse } from './duckdb-warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events = (n: number, seed = 1): Decoded<OrderEvent>[] => decodedEvents(n, seed);

let opened = 0;
describeWarehouseContract('DuckDB', () => DuckDbWarehouse.open({ path: join(dir, `contract-${opened++}.duckdb`) }), { rows: 10_000 });

describe('DuckDbWarehouse', () => {
  it('creates the STG tables on first use, idempotently', async () => {
    const path = join(dir, 'tables.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path });
    await warehouse.init();
    const tables = await warehouse.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'RETAIL_LAB' AND table_schema = 'STG' ORDER BY 1",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['CUSTOMERS', 'DEAD_LETTERS', 'INVENTORY', 'ORDERS', 'STREAMING_ORDERS']);
    await warehouse.close();
  });

  it('bulk-loads a batch, and a replayed batch leaves one row per EVENT_ID', async () => {
    const path = join(dir, 'load.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path });
    const batch = events(10_000);
    await warehouse.write(batch);
    await warehouse.write(batch.slice(0, 5_000)); // replay after a crash
    await warehouse.write([...batch.slice(9_000), ...batch.slice(9_000)]); // duplicates inside one batch
    const [{ n, distinct }] = (await warehouse.query(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT EVENT_ID) AS distinct FROM RETAIL_LAB.STG.STREAMING_ORDERS',
    )) as [{ n: bigint; distinct: bigint }];
    expect(Number(n)).toBe(10_000);
    expect(Number(distinct)).toBe(10_000);
    await warehouse.close();
    expect(await countInFile(path, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS')).toEqual([[10_000n]]);
  });

  it('stores every field verbatim, with the source position and a load time', async () => {
    const path = join(dir, 'verbatim.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path });
    const [first] = events(1) as [Extract<Decoded<OrderEvent>, { ok: true }>];
    const name = `O'Brien "Zoë" 👟 ; DROP TABLE STREAMING_ORDERS; --`;
    const event = { ...first.value, customer_name: name, unit_price: 119.99, quantity: 3, total_amount: 359.97 };
    await warehouse.write([{ ...first, value: event }]);
    const [row] = await warehouse.query('SELECT * FROM RETAIL_LAB.STG.STREAMING_ORDERS');
    expect(row).toMatchObject({
      EVENT_ID: event.event_id,
      CUSTOMER_NAME: name,
      BRAND: event.brand,
      SIZE: event.size,
      QUANTITY: 3,
      KAFKA_PARTITION: 0,
      KAFKA_OFFSET: 0n,
    });
    expect(String(row!.UNIT_PRICE)).toBe('119.99');
    expect(String(row!.TOTAL_AMOUNT)).toBe('359.97');
    expect((row!.TIMESTAMP as Date).toISOString()).toBe(new Date(event.timestamp).toISOString());
    expect(row!.PROCESSED_AT).toBeInstanceOf(Date);
    await warehouse.close();
  });

  it('stores dead letters with reason, original bytes and position, idempotently, in the same transaction', async () => {
    const path = join(dir, 'dead.duckdb');
    const warehouse = await DuckDbWarehouse.open({ path });
    const raw = new Uint8Array([0xff, 0x00, 0x7b]);
    const dead: Decoded<OrderEvent> = {
      ok: false,
      reason: 'not valid UTF-8',
      raw,
      sizeBytes: 3,
      position: { topic: 'sneaker-orders', partition: 2, offset: 41 },
      failedAt: Date.UTC(2025, 0, 1),
    };
    const batch = [...events(3), dead];
    await warehouse.write(batch);
    await warehouse.write(batch);
    const rows = await warehouse.query('SELECT * FROM RETAIL_LAB.STG.DEAD_LETTERS');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ REASON: 'not valid UTF-8', SOURCE_PARTITION: 2, SOURCE_OFFSET: 41n });
    expect(new Uint8Array(rows[0]!.RAW_VALUE as Uint8Array)).toEqual(raw);
    await warehouse.close();
  });

  it('rolls a failed batch back entirely', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: join(dir, 'rollback.duckdb') });
    const [good] = events(1);
    const broken = { ...(events(2)[1] as Extract<Decoded<OrderEvent>, { ok: true }>) };
    (broken as { value: unknown }).value = { ...broken.value, unit_price: 1e12 }; // overflows DECIMAL(10,2)
    await expect(warehouse.write([good!, broken])).rejects.toThrow();
    const [{ n }] = (await warehouse.query('SELECT COUNT(*) AS n FROM RETAIL_LAB.STG.STREAMING_ORDERS')) as [{ n: bigint }];
    expect(n).toBe(0n);
    await warehouse.write([good!]);
    await warehouse.close();
  });
});
