import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SneakpipeError, column, isRetriable, type TableSpec } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DUCKDB_THREADS } from '@sneakpipe/test-support/duckdb';
import { failureOf } from '@sneakpipe/test-support/failure';
import { WIDTH_TABLES, expectRowWidthRefusals } from '@sneakpipe/test-support/row-width';
import type { DuckDbSettings } from './config.js';
import { DuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb-warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const [where, thread] of DUCKDB_THREADS) {
  const open = ({ tables, ...config }: DuckDbSettings & Pick<DuckDbWarehouseOptions, 'tables'>) =>
    DuckDbWarehouse.open(config, { tables, thread });

  describe(`DuckDB errors in the error model, from the real database, ${where}`, () => {
    it('a file another process holds: WAREHOUSE_LOCKED, retriable, naming the PID', async () => {
      const file = join(dir, `held-${thread ? 'thread' : 'local'}.duckdb`);
      // A second process opens the file with the driver and holds it until told to stop.
      const holder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { DuckDBInstance } from '@duckdb/node-api';
           const db = await DuckDBInstance.create(${JSON.stringify(file)});
           await (await db.connect()).run('CREATE TABLE T (X INTEGER)');
           console.log('holding');
           process.stdin.on('data', () => process.exit(0));`,
        ],
        { cwd: import.meta.dirname, stdio: ['pipe', 'pipe', 'inherit'] },
      );
      try {
        await new Promise<void>((resolve, reject) => {
          holder.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
          holder.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
        });
        const error = await failureOf<SneakpipeError>(() => open({ path: file, tables: [] }));
        expect(error).toBeInstanceOf(SneakpipeError);
        expect([error.code, isRetriable(error)]).toEqual(['WAREHOUSE_LOCKED', true]);
        expect(error.message).toContain(`(PID ${holder.pid})`);
      } finally {
        holder.stdin.write('stop\n');
        await new Promise((r) => (holder.exitCode !== null ? r(undefined) : holder.once('exit', r)));
      }
      // Once the holder is gone, the same open succeeds: retrying was right.
      const warehouse = await open({ path: file, tables: [] });
      await warehouse.close();
    });

    it('refused statements and data are not retriable; a missing table is OBJECT_NOT_FOUND', async () => {
      const warehouse = await open({ path: ':memory:', tables: [] });
      try {
        const conversion = await failureOf<SneakpipeError>(() => warehouse.query(`SELECT CAST('twelve' AS INTEGER) AS N`));
        expect([conversion.code, isRetriable(conversion)]).toEqual(['WAREHOUSE_REJECTED', false]);
        expect(conversion.message).toMatch(/^Conversion Error/);
        await warehouse.query('CREATE TABLE memory.main.K (ID INTEGER PRIMARY KEY)');
        await warehouse.query('INSERT INTO memory.main.K VALUES (1)');
        const constraint = await failureOf<SneakpipeError>(() => warehouse.query('INSERT INTO memory.main.K VALUES (1)'));
        expect([constraint.code, isRetriable(constraint)]).toEqual(['WAREHOUSE_REJECTED', false]);
        const missing = await failureOf<SneakpipeError>(() => warehouse.query('SELECT * FROM memory.main.NO_SUCH_TABLE'));
        expect([missing.code, isRetriable(missing)]).toEqual(['OBJECT_NOT_FOUND', false]);
      } finally {
        await warehouse.close();
      }
    });

    it('data a load cannot store is refused as WAREHOUSE_REJECTED, on the direct-append and the staging paths alike', async () => {
      // EVENTS is append-only (appended to directly, inside the load's transaction); REFS is keyed (staged).
      const events: TableSpec = {
        name: 'EVENTS',
        description: 'append-only',
        columns: [column('N', 'integer'), column('DOC', 'json', { nullable: true }), column('AT', 'timestamp', { default: 'now' })],
      };
      const refs: TableSpec = { name: 'REFS', description: 'keyed', primaryKey: 'N', columns: [column('N', 'integer')] };
      const warehouse = await open({ path: ':memory:', tables: [events, refs] });
      try {
        const failures = [
          await failureOf<SneakpipeError>(() => warehouse.append({ tables: [{ table: events, rows: [[2 ** 31, null]] }] })),
          await failureOf<SneakpipeError>(() => warehouse.append({ tables: [{ table: events, rows: [[1, '{not json']] }] })),
          await failureOf<SneakpipeError>(() => warehouse.insertIfAbsent(refs, [[2 ** 31]])),
        ];
        for (const error of failures) {
          expect(error).toBeInstanceOf(SneakpipeError);
          expect([error.code, isRetriable(error)]).toEqual(['WAREHOUSE_REJECTED', false]);
        }
        // Nothing of the refused loads was kept.
        expect(await warehouse.query(`SELECT COUNT(*)::INTEGER AS N FROM ${warehouse.table('EVENTS')}`)).toEqual([{ N: 0 }]);
      } finally {
        await warehouse.close();
      }
    });

    it('a row DuckDB refuses keeps its first error: WAREHOUSE_REJECTED naming the constraint and column, not retriable', async () => {
      // A NOT NULL column given null: DuckDB's appender fails its flush, aborting the transaction, and closing the
      // appender then fails again with only "Current transaction is aborted", which used to replace the first error.
      const events: TableSpec = {
        name: 'EVENTS',
        description: 'append-only',
        columns: [column('N', 'integer'), column('NAME', 'text'), column('AT', 'timestamp', { default: 'now' })],
      };
      const refs: TableSpec = {
        name: 'REFS',
        description: 'keyed',
        primaryKey: 'N',
        columns: [column('N', 'integer'), column('NAME', 'text')],
      };
      const warehouse = await open({ path: ':memory:', tables: [events, refs] });
      try {
        const direct = await failureOf<SneakpipeError>(() =>
          warehouse.append({
            tables: [
              {
                table: events,
                rows: [
                  [1, 'a'],
                  [2, null],
                ],
              },
            ],
            group: 'g',
            positions: [{ topic: 't', partition: 0, from: null, to: 2 }],
          }),
        );
        const staged = await failureOf<SneakpipeError>(() => warehouse.insertIfAbsent(refs, [[1, null]]));
        for (const [error, table] of [
          [direct, 'EVENTS'],
          [staged, 'REFS'],
        ] as const) {
          expect(error).toBeInstanceOf(SneakpipeError);
          expect([error.code, isRetriable(error)]).toEqual(['WAREHOUSE_REJECTED', false]);
          expect(error.message).toContain(`NOT NULL constraint failed: ${table}.NAME`);
          expect(error.message).not.toMatch(/transaction is aborted/);
        }
        // The refused load was rolled back whole, and the next one loads.
        expect(await warehouse.positions('g', 't')).toEqual(new Map());
        await warehouse.append({
          tables: [{ table: events, rows: [[1, 'a']] }],
          group: 'g',
          positions: [{ topic: 't', partition: 0, from: null, to: 1 }],
        });
        expect(await warehouse.query(`SELECT N, NAME FROM ${warehouse.table('EVENTS')}`)).toEqual([{ N: 1, NAME: 'a' }]);
      } finally {
        await warehouse.close();
      }
    });

    it('a row with the wrong number of values is refused before DuckDB sees it: WAREHOUSE_REJECTED naming the table and counts', async () => {
      const { events, refs } = WIDTH_TABLES;
      const warehouse = await open({ path: ':memory:', tables: [events, refs] });
      try {
        await expectRowWidthRefusals([
          // One value short: NAME is nullable, so without the check the row loaded with a NULL where its value was missing.
          [
            () => warehouse.append({ tables: [{ table: events, rows: [[1, 'a'], [2]] }] }),
            /^row 1 of a load into EVENTS has 1 values, expected 2 \(N, NAME\)$/,
          ],
          [
            () => warehouse.append({ tables: [{ table: events, rows: [[1, 'a', 'extra']] }] }),
            /^row 0 of a load into EVENTS has 3 values, expected 2 \(N, NAME\)$/,
          ],
          [() => warehouse.insertIfAbsent(refs, [[1], []]), /^row 1 of a load into REFS has 0 values, expected 1 \(N\)$/],
        ]);
        expect(await warehouse.query(`SELECT COUNT(*)::INTEGER AS N FROM ${warehouse.table('EVENTS')}`)).toEqual([{ N: 0 }]);
      } finally {
        await warehouse.close();
      }
    });
  });
}
