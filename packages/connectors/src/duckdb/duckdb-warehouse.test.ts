import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { column, positionedSink, type DeadLetter, type TableSpec } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DUCKDB_THREADS, queryDuckDbFile as countInFile } from '@sneakpipe/test-support/duckdb';
import { GENERIC_TABLES, paymentRecords, paymentTables } from '@sneakpipe/test-support/generic-warehouse';
import { describeWarehouseOnGenericTables } from '@sneakpipe/test-support/generic-warehouse-contract';
import type { DuckDbSettings } from './config.js';
import { DuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb-warehouse.js';

const root = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const paymentSink = (warehouse: DuckDbWarehouse, group = 'g') => positionedSink({ warehouse, group, rows: paymentTables });

describe('DuckDbWarehouse by default', () => {
  // Users run the build, where DuckDB's thread entry sits next to the warehouse; run from the sources, the tests
  // must take the same path (the build's entry), not quietly keep DuckDB on the calling thread.
  it('runs DuckDB on a thread of its own, as a build does, also from the TypeScript sources', async () => {
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' }, { tables: GENERIC_TABLES });
    try {
      expect(warehouse.onOwnThread).toBe(true);
      await warehouse.append({ tables: paymentTables(paymentRecords(10)) });
      expect(await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('PAYMENTS')}`)).toEqual([{ N: 10n }]);
    } finally {
      await warehouse.close();
    }
  });
});

for (const [where, thread] of DUCKDB_THREADS) {
  const dir = join(root, thread ? 'thread' : 'local');
  mkdirSync(dir);
  const open = ({ tables, ...config }: DuckDbSettings & Pick<DuckDbWarehouseOptions, 'tables'>) =>
    DuckDbWarehouse.open(config, { tables, thread });

  let opened = 0;
  describeWarehouseOnGenericTables(`DuckDB ${where}`, (tables) => open({ path: join(dir, `contract-${opened++}.duckdb`), tables }), {
    rows: 10_000,
  });

  describe(`DuckDbWarehouse ${where}`, () => {
    it('runs DuckDB where asked', async () => {
      const warehouse = await open({ path: ':memory:', tables: [] });
      expect(warehouse.onOwnThread).toBe(thread);
      await warehouse.close();
    });

    it('creates the tables on first use, idempotently', async () => {
      const path = join(dir, 'tables.duckdb');
      const warehouse = await open({ path, tables: GENERIC_TABLES });
      await warehouse.init();
      const tables = await warehouse.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'tables' AND table_schema = 'main' ORDER BY 1",
      );
      expect(tables.map((t) => t.table_name)).toEqual(['ACCOUNTS', 'LOAD_POSITIONS', 'PAYMENTS', 'PAYMENT_REJECTS']);
      const keys = await warehouse.query<{ table_name: string }>(
        "SELECT table_name FROM duckdb_constraints() WHERE database_name = 'tables' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1",
      );
      // Append-only event tables: no key index to slow loads down as they grow.
      expect(keys.map((k) => k.table_name)).toEqual(['ACCOUNTS', 'LOAD_POSITIONS']);
      await warehouse.close();
    });

    it('bulk-loads a batch, and a replayed batch leaves one row per record (positions, not keys)', async () => {
      const path = join(dir, 'load.duckdb');
      const warehouse = await open({ path, tables: GENERIC_TABLES });
      const sink = paymentSink(warehouse);
      const batch = paymentRecords(10_000);
      await sink.write(batch);
      await sink.write(batch.slice(0, 5_000)); // replay after a crash
      await paymentSink(warehouse).write([...batch.slice(9_000), ...batch.slice(9_000)]); // a restarted sink, duplicates inside one batch
      const [{ n, distinct }] = (await warehouse.query(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT PAYMENT_ID) AS distinct FROM ${warehouse.table('PAYMENTS')}`,
      )) as [{ n: bigint; distinct: bigint }];
      expect(Number(n)).toBe(10_000);
      expect(Number(distinct)).toBe(10_000);
      await warehouse.close();
      expect(await countInFile(path, 'SELECT COUNT(*) FROM PAYMENTS')).toEqual([[10_000n]]);
    });

    it('stores every field verbatim, with the source position and a load time', async () => {
      const path = join(dir, 'verbatim.duckdb');
      const warehouse = await open({ path, tables: GENERIC_TABLES });
      const [first] = paymentRecords(1);
      const name = `O'Brien "Zoë" 👟 ; DROP TABLE PAYMENTS; --`;
      const payment = { ...first!.value, payer: name, amount: 359.97, units: 3, receipt: new Uint8Array([0, 0xff]) };
      await warehouse.append({ tables: paymentTables([{ ...first!, value: payment }]) });
      const [row] = await warehouse.query(`SELECT * FROM ${warehouse.table('PAYMENTS')}`);
      expect(row).toMatchObject({
        PAYMENT_ID: payment.paymentId,
        PAYER: name,
        UNITS: 3,
        SOURCE_PARTITION: 0,
        SOURCE_OFFSET: 0n,
      });
      expect(String(row!.AMOUNT)).toBe('359.97');
      expect((row!.PAID_AT as Date).toISOString()).toBe(new Date(payment.paidAt).toISOString());
      expect(JSON.parse(String(row!.METADATA))).toEqual(payment.metadata);
      expect(new Uint8Array(row!.RECEIPT as Uint8Array)).toEqual(new Uint8Array([0, 0xff]));
      expect(row!.LOADED_AT).toBeInstanceOf(Date);
      await warehouse.close();
    });

    it('stores dead letters with reason, original bytes and position, exactly once, in the same transaction', async () => {
      const path = join(dir, 'dead.duckdb');
      const warehouse = await open({ path, tables: GENERIC_TABLES });
      const raw = new Uint8Array([0xff, 0x00, 0x7b]);
      const dead: DeadLetter = {
        ok: false,
        reason: 'not valid UTF-8',
        raw,
        sizeBytes: 3,
        position: { topic: 'payments', partition: 2, offset: 41 },
        failedAt: Date.UTC(2025, 0, 1),
      };
      const batch = [...paymentRecords(3), dead];
      const sink = paymentSink(warehouse);
      await sink.write(batch);
      await sink.write(batch);
      const rows = await warehouse.query(`SELECT * FROM ${warehouse.table('PAYMENT_REJECTS')}`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ REASON: 'not valid UTF-8', SOURCE_PARTITION: 2, SOURCE_OFFSET: 41n });
      expect(new Uint8Array(rows[0]!.RAW as Uint8Array)).toEqual(raw);
      await warehouse.close();
    });

    it('rolls a failed batch back entirely: no row, no advanced position', async () => {
      const warehouse = await open({ path: join(dir, 'rollback.duckdb'), tables: GENERIC_TABLES });
      const [good, second] = paymentRecords(2);
      const broken = { ...second!, value: { ...second!.value, amount: 1e12 } }; // overflows DECIMAL(10,2)
      const sink = paymentSink(warehouse);
      await expect(sink.write([good!, broken])).rejects.toThrow();
      const [{ n }] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${warehouse.table('PAYMENTS')}`)) as [{ n: bigint }];
      expect(n).toBe(0n);
      expect(await warehouse.positions('g', 'payments')).toEqual(new Map());
      await sink.write([good!]);
      expect(await warehouse.positions('g', 'payments')).toEqual(new Map([[0, 1]]));
      await warehouse.close();
    });

    it('migrates an older file on open: an append-only table that had a key loses it, tables keep their rows and gain the new columns', async () => {
      const path = join(dir, 'older.duckdb');
      const old = await DuckDBInstance.create(path);
      const c = await old.connect();
      // Tables as an older version created them (as 0.1.0 did the shop's): a key on an append-only table, columns
      // missing, load times defaulting to the local time.
      await c.run('CREATE SCHEMA STG');
      await c.run(`CREATE TABLE STG.PAYMENTS (PAYMENT_ID VARCHAR PRIMARY KEY, PAYER VARCHAR NOT NULL, AMOUNT DECIMAL(10,2) NOT NULL,
        UNITS INTEGER NOT NULL, PAID_AT TIMESTAMP NOT NULL, LOADED_AT TIMESTAMP DEFAULT current_localtimestamp())`);
      await c.run(`CREATE TABLE STG.PAYMENT_REJECTS (REASON VARCHAR NOT NULL, RAW BLOB NOT NULL, FAILED_AT TIMESTAMP NOT NULL,
        LOADED_AT TIMESTAMP DEFAULT current_localtimestamp())`);
      await c.run(`INSERT INTO STG.PAYMENTS VALUES ('pay-1-0', 'Marie', 120.5, 2, '2025-01-01 10:00:00', '2025-01-01 10:00:01')`);
      await c.run(`INSERT INTO STG.PAYMENT_REJECTS VALUES ('invalid JSON', '\\x01'::BLOB, '2025-01-01 10:00:00', '2025-01-01 10:00:01')`);
      c.closeSync();
      old.closeSync();
      // The file's tables under STG, attached under a name of the caller's.
      const warehouse = await open({ path, database: 'LEDGER', schema: 'STG', tables: GENERIC_TABLES });
      const [payment] = paymentRecords(1); // PAYMENT_ID pay-1-0 again: an upstream duplicate now loads
      const dead: DeadLetter = { ok: false, reason: 'not valid UTF-8', raw: new Uint8Array([0xff]), sizeBytes: 1, failedAt: 0 };
      await paymentSink(warehouse).write([payment!, { ...dead, position: { topic: 'payments', partition: 1, offset: 0 } }]);
      const rows = await warehouse.query(
        'SELECT PAYMENT_ID, AMOUNT, SOURCE_OFFSET, LOADED_AT FROM LEDGER.STG.PAYMENTS ORDER BY SOURCE_OFFSET NULLS FIRST',
      );
      expect(rows.map((r) => [r.PAYMENT_ID, Number(r.AMOUNT), r.SOURCE_OFFSET])).toEqual([
        ['pay-1-0', 120.5, null],
        ['pay-1-0', payment!.value.amount, 0n],
      ]);
      expect(rows.every((r) => r.LOADED_AT instanceof Date)).toBe(true);
      const rejects = await warehouse.query('SELECT REASON, SOURCE_PARTITION FROM LEDGER.STG.PAYMENT_REJECTS ORDER BY REASON');
      expect(rejects).toEqual([
        { REASON: 'invalid JSON', SOURCE_PARTITION: null },
        { REASON: 'not valid UTF-8', SOURCE_PARTITION: 1 },
      ]);
      const keys = await warehouse.query(
        "SELECT COUNT(*) AS n FROM duckdb_constraints() WHERE database_name = 'LEDGER' AND table_name IN ('PAYMENTS', 'PAYMENT_REJECTS') AND constraint_type = 'PRIMARY KEY'",
      );
      expect(Number(keys[0]!.n)).toBe(0);
      // The local-time default is gone, in the rebuilt table and in the one migrated in place: loads set the column.
      const defaults = await warehouse.query(
        "SELECT DISTINCT column_default AS d FROM duckdb_columns() WHERE database_name = 'LEDGER' AND column_name = 'LOADED_AT'",
      );
      expect(defaults).toEqual([{ d: null }]);
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
