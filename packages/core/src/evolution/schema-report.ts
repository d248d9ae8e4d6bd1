import type { ColumnType, TableSpec } from '../contracts/tables.js';
import type { Warehouse } from '../contracts/warehouse.js';
import { toMs } from '../contracts/warehouse-values.js';
import { SCHEMA_CHANGES, hasSchemaChanges } from './schema-changes.js';

/** What schema evolution did to a table, as {@link readSchemaReport} reads it. */
export interface SchemaReport {
  readonly table: string;
  /** The columns the stored table has beyond its definition, in its order. */
  readonly added: readonly {
    readonly column: string;
    readonly type: ColumnType;
    /** The field it was added for; `null` when `SCHEMA_CHANGES` has no record of it (a column added by hand). */
    readonly field: string | null;
    /** When it was added (epoch ms: the last attempt recorded), or `null`. */
    readonly addedAt: number | null;
  }[];
  /** Values kept in the extras column, per field and column, over all loads. */
  readonly clashes: readonly {
    readonly field: string;
    readonly column: string | null;
    readonly rows: number;
    readonly lastAt: number;
    /** One load's reason, with one of its values. */
    readonly reason: string;
  }[];
}

/**
 * The columns schema evolution added to `table` (read from the warehouse
 * itself, with when and for which field from `SCHEMA_CHANGES`) and the
 * clashes it counted. A warehouse without `addColumns`, or without
 * `SCHEMA_CHANGES`, has had none.
 *
 * @example
 * ```ts
 * import { readSchemaReport, type TableSpec, type Warehouse } from '@sneakpipe/core';
 *
 * declare const warehouse: Warehouse;
 * declare const VISITS: TableSpec;
 * const report = await readSchemaReport(warehouse, VISITS);
 * for (const c of report.added) console.log(c.column, c.type, c.field);
 * ```
 */
export async function readSchemaReport(warehouse: Warehouse, table: TableSpec): Promise<SchemaReport> {
  // Without addColumns, or SCHEMA_CHANGES, no schema evolution has run here.
  if (!warehouse.addColumns || !(await hasSchemaChanges({ addColumns: warehouse.addColumns.bind(warehouse) })))
    return { table: table.name, added: [], clashes: [] };
  const stored = await warehouse.addColumns(table, []);
  const changes = warehouse.table(SCHEMA_CHANGES.name);
  const records = await warehouse.query(
    // The last record: a record is written before each attempt to add the column, and none once it exists.
    `SELECT COLUMN_NAME, MIN(FIELD) AS FIELD, MAX(CHANGED_AT) AS ADDED_AT FROM ${changes}
     WHERE TABLE_NAME = ? AND CHANGE = 'added' GROUP BY COLUMN_NAME`,
    [table.name],
  );
  const byColumn = new Map(records.map((r) => [String(r.COLUMN_NAME), r]));
  const clashes = await warehouse.query(
    `SELECT FIELD, COLUMN_NAME, SUM(ROW_COUNT) AS ROW_COUNT, MAX(CHANGED_AT) AS LAST_AT, MIN(REASON) AS REASON FROM ${changes}
     WHERE TABLE_NAME = ? AND CHANGE = 'clash' GROUP BY FIELD, COLUMN_NAME ORDER BY FIELD, COLUMN_NAME`,
    [table.name],
  );
  return {
    table: table.name,
    added: stored.columns.slice(table.columns.length).map((c) => {
      const record = byColumn.get(c.name);
      return {
        column: c.name,
        type: c.type,
        field: record ? String(record.FIELD) : null,
        addedAt: record ? toMs(record.ADDED_AT) : null,
      };
    }),
    clashes: clashes.map((r) => ({
      field: String(r.FIELD),
      column: r.COLUMN_NAME === null ? null : String(r.COLUMN_NAME),
      rows: Number(r.ROW_COUNT),
      lastAt: toMs(r.LAST_AT),
      reason: String(r.REASON),
    })),
  };
}
