import { SneakpipeError } from '../errors/sneakpipe-error.js';
import { loadedColumns, type TableSpec, type WarehouseRow } from './tables.js';

/**
 * Refuses, before anything reaches the database, rows that do not hold one
 * value per loaded column of their table. Connectors read a row's values by
 * position: a row one value short would load its last column as null (or
 * fail deep in the driver, with a message that names neither table nor
 * row), and a value too many would be dropped without a word. A wrong width
 * is the program's mistake, so the same load fails again: `WAREHOUSE_REJECTED`,
 * not retriable. The built-in warehouses call it first thing in a load; a
 * warehouse connector of your own should too.
 *
 * @example
 * ```ts
 * import { checkRowWidths, column, defineTable, type WarehouseRow } from '@sneakpipe/core';
 *
 * const ORDERS = defineTable({
 *   name: 'ORDERS',
 *   description: 'One row per order.',
 *   columns: [column('ORDER_ID', 'text'), column('AMOUNT', 'money'), column('LOADED_AT', 'timestamp', { default: 'now' })],
 * });
 * const rows: WarehouseRow[] = [['o-1', 12.5]]; // LOADED_AT is the warehouse's to fill
 *
 * checkRowWidths(ORDERS, rows); // a row with another number of values throws WAREHOUSE_REJECTED
 * ```
 */
export function checkRowWidths(table: TableSpec, rows: readonly WarehouseRow[]): void {
  const columns = loadedColumns(table);
  const bad = rows.findIndex((row) => row.length !== columns.length);
  if (bad < 0) return;
  throw new SneakpipeError(
    'WAREHOUSE_REJECTED',
    `row ${bad} of a load into ${table.name} has ${rows[bad]!.length} values, expected ${columns.length} (${columns.map((c) => c.name).join(', ')})`,
    { retriable: false },
  );
}
