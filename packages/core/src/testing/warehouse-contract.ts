import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextOffsets } from '../contracts/offsets.js';
import type { Decoded, ValidRecord } from '../contracts/records.js';
import { LOAD_POSITIONS, type TableRows, type TableSpec } from '../contracts/tables.js';
import { PositionConflictError, type Warehouse } from '../contracts/warehouse.js';
import { positionedSink } from '../positions/positioned-sink.js';
import { ADD_COLUMNS_TABLES, describeAddColumns } from './add-columns-contract.js';
import { SUITE_TABLES, describeValueTypes } from './value-types-contract.js';

/** How the warehouse contract suite reaches the warehouse under test, and the records it loads into it. */
export interface WarehouseContractHarness<T> {
  /**
   * A warehouse given its tables and `suiteTables` (the suite's own: a table
   * of each value type it checks), all of them empty (`init` not called yet).
   */
  open(suiteTables: readonly TableSpec[]): Promise<Warehouse>;
  /** The names of the tables the warehouse is given: after `init` they (and `LOAD_POSITIONS`) exist, empty. */
  readonly tables: readonly string[];
  /** `count` valid records of `topic` with positions (over several partitions), the same ones for the same `seed`, with ids of their own for each seed. */
  records(count: number, seed: number, topic: string): ValidRecord<T>[];
  /** The rows a batch becomes: what a `positionedSink` on this warehouse is given as `rows`. */
  rowsOf(batch: readonly Decoded<T>[]): readonly TableRows[];
  /** The table a valid record lands in, and its column holding the record's id. */
  readonly recordTable: { readonly name: string; readonly idColumn: string };
  /** The id of a record, as stored in `recordTable.idColumn`. */
  idOf(value: T): string;
  /** Records per load in the bigger cases (even; default 1,000). */
  readonly rows?: number;
  /** Whether the warehouse has `addColumns` (default yes): its cases, and their tables among `suiteTables`, only then. */
  readonly addColumns?: boolean;
  /** The table its positions are stored in (default `LOAD_POSITIONS`). */
  readonly positionsTable?: string;
}

let topics = 0;
/** A topic name no other case of the suite uses, so each case has positions of its own. */
const freshTopic = () => `contract-${process.pid}-${topics++}`;

/**
 * The behaviour every `Warehouse` must have, whatever it stores: it creates
 * its tables and `LOAD_POSITIONS` idempotently; a load appends its rows and
 * advances its positions together, or (on a stale expected position) writes
 * nothing and rejects with `PositionConflictError`; of two racing loads that
 * expect the same position exactly one is written; through
 * `positionedSink`, replays and a second writer load every record once;
 * booleans and doubles read back exactly; and `addColumns` widens a table as
 * schema evolution needs it (in tables of the suite's own, which `open` gives
 * the warehouse).
 *
 * @example
 * ```ts
 * import type { TableRows, TableSpec, ValidRecord, Warehouse } from '@sneakpipe/core';
 * import { describeWarehouseContract } from '@sneakpipe/core/testing';
 *
 * declare function openMyWarehouse(tables: readonly TableSpec[]): Promise<Warehouse>;
 * declare const VISITS: TableSpec;
 * declare function visits(count: number, seed: number, topic: string): ValidRecord<{ id: string }>[];
 * declare function visitRows(batch: readonly unknown[]): TableRows[];
 *
 * describeWarehouseContract('my warehouse', {
 *   open: (suiteTables) => openMyWarehouse([VISITS, ...suiteTables]),
 *   tables: [VISITS.name],
 *   records: visits,
 *   rowsOf: visitRows,
 *   recordTable: { name: VISITS.name, idColumn: 'ID' },
 *   idOf: (visit) => visit.id,
 * });
 * ```
 */
export function describeWarehouseContract<T>(name: string, harness: WarehouseContractHarness<T>): void {
  const rows = harness.rows ?? 1_000;
  const evolves = harness.addColumns ?? true;
  const { name: recordTable, idColumn } = harness.recordTable;
  const ids = (batch: readonly ValidRecord<T>[]) => batch.map((b) => harness.idOf(b.value));
  const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');
  describe(`Warehouse contract: ${name}`, () => {
    let warehouse: Warehouse;
    const count = async (table: string, where = 'TRUE', params: unknown[] = []) =>
      Number((await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table(table)} WHERE ${where}`, params))[0]!.N);
    /** Rows per table, by name. */
    const counts = async (tables: readonly string[]) => {
      const byTable: Record<string, number> = {};
      for (const table of tables) byTable[table] = await count(table);
      return byTable;
    };
    /** Rows stored, and distinct ids among them, of these records. */
    const stored = async (batch: readonly ValidRecord<T>[]) => {
      const [r] = await warehouse.query(
        `SELECT COUNT(*) AS N, COUNT(DISTINCT ${idColumn}) AS D FROM ${warehouse.table(recordTable)} WHERE ${idColumn} IN (${placeholders(batch.length)})`,
        ids(batch),
      );
      return { rows: Number(r!.N), distinct: Number(r!.D) };
    };
    /** Loads a batch from no stored position: one load, or one per partition for a warehouse that loads by partition. */
    const loadFirst = async (batch: readonly ValidRecord<T>[], topic: string, group: string) => {
      const next = nextOffsets(batch);
      const loads = warehouse.loadsByPartition
        ? next.map((p) => ({ rows: batch.filter((b) => b.position!.partition === p.partition), next: [p] }))
        : [{ rows: batch, next }];
      for (const load of loads) {
        const positions = load.next.map((p) => ({ topic, partition: p.partition, from: null, to: p.offset }));
        await warehouse.append({ tables: harness.rowsOf(load.rows), group, positions });
      }
      return next;
    };
    beforeAll(async () => {
      warehouse = await harness.open(evolves ? [...SUITE_TABLES, ...ADD_COLUMNS_TABLES] : SUITE_TABLES);
    });
    afterAll(async () => warehouse?.close());

    it('creates its tables and the positions table, and creating them again changes nothing', async () => {
      const positionsTable = harness.positionsTable ?? LOAD_POSITIONS.name;
      const all = [...harness.tables, positionsTable];
      await warehouse.init();
      for (const table of all) expect(await count(table), table).toBe(0);
      // Rows and stored positions, then `init` again (as every start of a pipeline does): all of them are still there.
      const topic = freshTopic();
      const batch = harness.records(50, 20, topic);
      const next = await loadFirst(batch, topic, 'g');
      const before = await counts(all);
      expect(before[recordTable], recordTable).toBe(batch.length);
      expect(before[positionsTable], positionsTable).toBeGreaterThanOrEqual(next.length);
      await warehouse.init();
      const after = await counts(all);
      expect(after).toEqual(before);
      expect(await stored(batch)).toEqual({ rows: batch.length, distinct: batch.length });
      expect(await warehouse.positions('g', topic)).toEqual(new Map(next.map((p) => [p.partition, p.offset])));
    });

    it('appends rows and advances positions in one load; the tables are append-only (the same rows twice are two rows)', async () => {
      const topic = freshTopic();
      const batch = harness.records(rows, 1, topic);
      const next = await loadFirst(batch, topic, 'g');
      expect(await warehouse.positions('g', topic)).toEqual(new Map(next.map((p) => [p.partition, p.offset])));
      expect(await warehouse.positions('other-group', topic)).toEqual(new Map());
      await warehouse.append({ tables: harness.rowsOf(batch.slice(0, 10)) });
      const r = await stored(batch);
      expect(r.distinct).toBe(rows);
      expect(r.rows - r.distinct).toBe(10);
    });

    it('refuses a load whose expected position is not the stored one, writing nothing of it', async () => {
      const topic = freshTopic();
      const [first, second] = [harness.records(3, 2, topic), harness.records(3, 3, topic)];
      await warehouse.append({ tables: harness.rowsOf(first), group: 'g', positions: [{ topic, partition: 0, from: null, to: 5 }] });
      const before = await count(recordTable);
      const stale = { tables: harness.rowsOf(second), group: 'g', positions: [{ topic, partition: 0, from: 2, to: 9 }] };
      const error = await warehouse.append(stale).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PositionConflictError);
      expect((error as PositionConflictError).conflicts).toEqual([{ topic, partition: 0, expected: 2, stored: 5 }]);
      const racing = { tables: harness.rowsOf(second), group: 'g', positions: [{ topic, partition: 0, from: null, to: 9 }] };
      await expect(warehouse.append(racing)).rejects.toBeInstanceOf(PositionConflictError);
      expect(await count(recordTable)).toBe(before);
      expect(await warehouse.positions('g', topic)).toEqual(new Map([[0, 5]]));
    });

    it('two loads at the same time that both expect no stored position: exactly one is written', async () => {
      const topic = freshTopic();
      const load = (seed: number) => ({
        tables: harness.rowsOf(harness.records(3, seed, topic)),
        group: 'racers',
        positions: [{ topic, partition: 0, from: null, to: 3 }],
      });
      const results = await Promise.allSettled([warehouse.append(load(11)), warehouse.append(load(12))]);
      // The loser is refused (a PositionConflictError, or on some engines a write conflict): either way nothing of it is written.
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await warehouse.positions('racers', topic)).toEqual(new Map([[0, 3]]));
      expect((await stored([...harness.records(3, 11, topic), ...harness.records(3, 12, topic)])).rows).toBe(3);
    });

    it('through positionedSink: replays, duplicated batches and a second writer on the same partitions load every record once', async () => {
      const topic = freshTopic();
      const batch = harness.records(rows, 4, topic);
      const a = positionedSink({ warehouse, group: 'loaders', rows: harness.rowsOf });
      const zombie = positionedSink({ warehouse, group: 'loaders', rows: harness.rowsOf });
      await zombie.resume(topic); // it read the positions before the other member loaded anything
      await a.write(batch.slice(0, rows / 2));
      await a.write(batch.slice(0, rows / 2)); // a replay after a crash
      await zombie.write(batch.slice(0, (3 * rows) / 4)); // a member that lost the partitions and still loads
      await a.write(batch); // the new owner continues
      const r = await stored(batch);
      expect(r.rows).toBe(rows);
      expect(r.distinct).toBe(rows);
      expect(a.skipped + zombie.skipped).toBe(rows / 2 + rows / 2 + (3 * rows) / 4);
    });

    describeValueTypes(() => warehouse);
    if (evolves) describeAddColumns(() => warehouse);
  });
}
