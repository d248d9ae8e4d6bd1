import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES, orderEventSink, orderEventTables, type OrderEvent } from '@sneakpipe/sneakers';
import { column, type Decoded, type TableSpec } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DUCKDB_THREADS, queryDuckDbFile as countInFile } from '@sneakpipe/test-support/duckdb';
import { decodedEvents, describeWarehouseContract } from '@sneakpipe/test-support/warehouse-contract';
import { describeDeadLetterReplay } from '@sneakpipe/test-support/dead-letter-contract';
import { DuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb-warehouse.js';

const root = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const events = (n: number, seed = 1): Decoded<OrderEvent>[] => decodedEvents(n, seed);

describe('DuckDbWarehouse by default', () => {
  // Users run the build, where DuckDB's thread entry sits next to the warehouse; run from the sources, the tests
  // must take the same path (the build's entry), not quietly keep DuckDB on the calling thread.
  it('runs DuckDB on a thread of its own, as a build does, also from the TypeScript sources', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:', tables: WAREHOUSE_TABLES });
    try {
      expect(warehouse.onOwnThread).toBe(true);
      await warehouse.append({ tables: orderEventTables(events(10)) });
      expect(await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('STREAMING_ORDERS')}`)).toEqual([{ N: 10n }]);
    } finally {
      await warehouse.close();
    }
  });
});

for (const [where, thread] of DUCKDB_THREADS) {
  const dir = join(root, thread ? 'thread' : 'local');
  mkdirSync(dir);
  const open = (options: DuckDbWarehouseOptions) => DuckDbWarehouse.open({ ...options, thread });

  let opened = 0;
  describeWarehouseContract(`DuckDB ${where}`, () => open({ path: join(dir, `contract-${opened++}.duckdb`), tables: WAREHOUSE_TABLES }), {
    rows: 10_000,
  });

  describeDeadLetterReplay(`DuckDB ${where}`, () => open({ path: join(dir, `replay-${opened++}.duckdb`), tables: WAREHOUSE_TABLES }));

  describe(`DuckDbWarehouse ${where}`, () => {
    it('runs DuckDB where asked', async () => {
      const warehouse = await open({ path: ':memory:', tables: [] });
      expect(warehouse.onOwnThread).toBe(thread);
      await warehouse.close();
    });

    it('creates the tables on first use, idempotently', async () => {
      const path = join(dir, 'tables.duckdb');
      const warehouse = await open({ path, tables: WAREHOUSE_TABLES });
      await warehouse.init();
      const tables = await warehouse.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'tables' AND table_schema = 'main' ORDER BY 1",
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'CUSTOMERS',
        'DEAD_LETTERS',
        'DEAD_LETTER_REPLAYS',
        'INVENTORY',
        'LOAD_POSITIONS',
        'ORDERS',
        'STREAMING_ORDERS',
      ]);
      const keys = await warehouse.query<{ table_name: string }>(
        "SELECT table_name FROM duckdb_constraints() WHERE database_name = 'tables' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1",
      );
      // Append-only event tables: no key index to slow loads down as they grow.
      expect(keys.map((k) => k.table_name)).toEqual(['CUSTOMERS', 'INVENTORY', 'LOAD_POSITIONS', 'ORDERS']);
      await warehouse.close();
    });

    it('bulk-loads a batch, and a replayed batch leaves one row per record (positions, not keys)', async () => {
      const path = join(dir, 'load.duckdb');
      const warehouse = await open({ path, tables: WAREHOUSE_TABLES });
      const sink = orderEventSink({ warehouse, group: 'g' });
      const batch = events(10_000);
      await sink.write(batch);
      await sink.write(batch.slice(0, 5_000)); // replay after a crash
      await orderEventSink({ warehouse, group: 'g' }).write([...batch.slice(9_000), ...batch.slice(9_000)]); // a restarted sink, duplicates inside one batch
      const [{ n, distinct }] = (await warehouse.query(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT EVENT_ID) AS distinct FROM ${warehouse.table('STREAMING_ORDERS')}`,
      )) as [{ n: bigint; distinct: bigint }];
      expect(Number(n)).toBe(10_000);
      expect(Number(distinct)).toBe(10_000);
      await warehouse.close();
      expect(await countInFile(path, 'SELECT COUNT(*) FROM STREAMING_ORDERS')).toEqual([[10_000n]]);
    });

    it('stores every field verbatim, with the source position and a load time', async () => {
      const path = join(dir, 'verbatim.duckdb');
      const warehouse = await open({ path, tables: WAREHOUSE_TABLES });
      const [first] = events(1) as [Extract<Decoded<OrderEvent>, { ok: true }>];
      const name = `O'Brien "Zoë" 👟 ; DROP TABLE STREAMING_ORDERS; --`;
      const event = { ...first.value, customer_name: name, unit_price: 119.99, quantity: 3, total_amount: 359.97 };
      await warehouse.append({ tables: orderEventTables([{ ...first, value: event }]) });
      const [row] = await warehouse.query(`SELECT * FROM ${warehouse.table('STREAMING_ORDERS')}`);
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

    it('stores dead letters with reason, original bytes and position, exactly once, in the same transaction', async () => {
      const path = join(dir, 'dead.duckdb');
      const warehouse = await open({ path, tables: WAREHOUSE_TABLES });
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
      const sink = orderEventSink({ warehouse, group: 'g' });
      await sink.write(batch);
      await sink.write(batch);
      const rows = await warehouse.query(`SELECT * FROM ${warehouse.table('DEAD_LETTERS')}`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ REASON: 'not valid UTF-8', SOURCE_PARTITION: 2, SOURCE_OFFSET: 41n });
      expect(new Uint8Array(rows[0]!.RAW_VALUE as Uint8Array)).toEqual(raw);
      await warehouse.close();
    });

    it('rolls a failed batch back entirely: no row, no advanced position', async () => {
      const warehouse = await open({ path: join(dir, 'rollback.duckdb'), tables: WAREHOUSE_TABLES });
      const [good] = events(1);
      const broken = { ...(events(2)[1] as Extract<Decoded<OrderEvent>, { ok: true }>) };
      (broken as { value: unknown }).value = { ...broken.value, unit_price: 1e12 }; // overflows DECIMAL(10,2)
      const sink = orderEventSink({ warehouse, group: 'g' });
      await expect(sink.write([good!, broken])).rejects.toThrow();
      const [{ n }] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${warehouse.table('STREAMING_ORDERS')}`)) as [{ n: bigint }];
      expect(n).toBe(0n);
      expect(await warehouse.positions('g', 'sneaker-orders')).toEqual(new Map());
      await sink.write([good!]);
      expect(await warehouse.positions('g', 'sneaker-orders')).toEqual(new Map([[0, 1]]));
      await warehouse.close();
    });

    it('migrates a 0.1.0 file on open: the event tables lose their key, keep their rows and gain the new columns', async () => {
      const path = join(dir, 'v010.duckdb');
      const old = await DuckDBInstance.create(path);
      const c = await old.connect();
      // The tables exactly as 0.1.0 created them.
      await c.run('CREATE SCHEMA STG');
      await c.run(`CREATE TABLE STG.STREAMING_ORDERS (EVENT_ID VARCHAR PRIMARY KEY, EVENT_TYPE VARCHAR NOT NULL, "TIMESTAMP" TIMESTAMP NOT NULL,
        ORDER_ID BIGINT NOT NULL, CUSTOMER_NAME VARCHAR NOT NULL, CUSTOMER_CITY VARCHAR NOT NULL, BRAND VARCHAR NOT NULL, MODEL VARCHAR NOT NULL,
        COLOR VARCHAR NOT NULL, SIZE VARCHAR NOT NULL, UNIT_PRICE DECIMAL(10,2) NOT NULL, TOTAL_AMOUNT DECIMAL(10,2) NOT NULL, QUANTITY INTEGER NOT NULL,
        KAFKA_PARTITION INTEGER, KAFKA_OFFSET BIGINT, PROCESSED_AT TIMESTAMP DEFAULT current_localtimestamp())`);
      await c.run(`CREATE TABLE STG.DEAD_LETTERS (DEAD_LETTER_ID VARCHAR PRIMARY KEY, REASON VARCHAR NOT NULL, RAW_VALUE BLOB NOT NULL,
        SOURCE_TOPIC VARCHAR, SOURCE_PARTITION INTEGER, SOURCE_OFFSET BIGINT, FAILED_AT TIMESTAMP NOT NULL, PROCESSED_AT TIMESTAMP DEFAULT current_localtimestamp())`);
      await c.run(`INSERT INTO STG.STREAMING_ORDERS VALUES ('e1', 'order_created', '2025-01-01 10:00:00', 1, 'Marie', 'Paris', 'Nike', 'Air Max 90',
        'White', '42', 120.5, 241, 2, 0, 7, '2025-01-01 10:00:01')`);
      c.closeSync();
      old.closeSync();
      // The shop's file: its tables under STG, attached as RETAIL_LAB.
      const warehouse = await open({ path, ...WAREHOUSE_LOCATION, tables: WAREHOUSE_TABLES });
      const sink = orderEventSink({ warehouse, group: 'g' });
      const [e] = decodedEvents(1);
      await sink.write([{ ...e!, value: { ...e!.value, event_id: 'e1' } }]); // the same EVENT_ID again: an upstream duplicate now loads
      const rows = await warehouse.query(
        'SELECT EVENT_ID, QUALITY_FLAGS, PROCESSED_AT FROM RETAIL_LAB.STG.STREAMING_ORDERS ORDER BY KAFKA_OFFSET DESC',
      );
      expect(rows.map((r) => r.EVENT_ID)).toEqual(['e1', 'e1']);
      expect(rows[0]!.QUALITY_FLAGS).toBeNull();
      expect(rows.every((r) => r.PROCESSED_AT instanceof Date)).toBe(true);
      const keys = await warehouse.query(
        "SELECT COUNT(*) AS n FROM duckdb_constraints() WHERE database_name = 'RETAIL_LAB' AND table_name IN ('STREAMING_ORDERS', 'DEAD_LETTERS') AND constraint_type = 'PRIMARY KEY'",
      );
      expect(Number(keys[0]!.n)).toBe(0);
      // The local-time default became the UTC one.
      const defaults = await warehouse.query(
        "SELECT DISTINCT column_default AS d FROM duckdb_columns() WHERE database_name = 'RETAIL_LAB' AND column_name = 'PROCESSED_AT'",
      );
      expect(defaults).toEqual([{ d: "main.timezone('UTC', now())" }]);
      await warehouse.close();
    });

    it("puts the tables where DuckDB puts a file's (its own catalog, main) unless given a catalog and schema", async () => {
      const events: TableSpec = { name: 'EVENTS', description: 'append-only', columns: [column('N', 'integer')] };
      const path = join(dir, 'where.duckdb');
      const neutral = await open({ path, tables: [events] });
      expect(neutral.table('EVENTS')).toBe('"where"."main"."EVENTS"');
      await neutral.append({ tables: [{ table: events, rows: [[1]] }] });
      expect(await neutral.query('SELECT N FROM EVENTS')).toEqual([{ N: 1 }]);
      await neutral.close();
      // What `duckdb where.duckdb` shows: the table in the default schema.
      expect(await countInFile(path, 'SELECT COUNT(*) FROM EVENTS')).toEqual([[1n]]);
      // Another catalog name and schema: the name is the attachment's, the schema is created in the same file.
      const named = await open({ path, database: 'SHOP', schema: 'RAW', tables: [events] });
      expect(named.table('EVENTS')).toBe('"SHOP"."RAW"."EVENTS"');
      await named.append({ tables: [{ table: events, rows: [[2]] }] });
      await named.close();
      expect(await countInFile(path, 'SELECT (SELECT N FROM main.EVENTS), (SELECT N FROM RAW.EVENTS)')).toEqual([[1, 2]]);
      const memory = await open({ path: ':memory:', tables: [events] });
      expect(memory.table('EVENTS')).toBe('"memory"."main"."EVENTS"');
      await memory.close();
    });
  });
}
