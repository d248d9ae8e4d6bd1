import { column, defineTable } from '../contracts/tables.js';
import type { Warehouse } from '../contracts/warehouse.js';

/**
 * What schema evolution did, one row per event (append-only): a column
 * `added` (written just before its `ALTER TABLE`, so a crash between the two
 * leaves a row for a column the next run adds), and, per load and column, the
 * rows whose value `clash`ed with it (written in the load's transaction, so
 * counted exactly once). A warehouse that evolves tables is opened with it
 * among its tables. `sneakpipe schema` reads it.
 */
export const SCHEMA_CHANGES = defineTable({
  name: 'SCHEMA_CHANGES',
  description: 'Schema evolution: columns added to tables, and values that clashed with a column (append-only).',
  columns: [
    column('TABLE_NAME', 'text'),
    /** `added` or `clash`. */
    column('CHANGE', 'text'),
    /** The field as the producer named it. */
    column('FIELD', 'text'),
    /** The column it became or clashed with; NULL for a field that cannot be one (see `REASON`). */
    column('COLUMN_NAME', 'text', { nullable: true }),
    column('COLUMN_TYPE', 'text', { nullable: true }),
    /** For a clash: the rows in that load whose value stayed in the extras column. */
    column('ROW_COUNT', 'bigint', { nullable: true }),
    /** For a clash: why, with one of the values. */
    column('REASON', 'text', { nullable: true }),
    column('CONSUMER_GROUP', 'text', { nullable: true }),
    column('CHANGED_AT', 'timestamp', { default: 'now' }),
  ],
});

/**
 * Whether the warehouse has {@link SCHEMA_CHANGES} (`addColumns` with no
 * column only reads, and rejects with `OBJECT_NOT_FOUND` when the table is
 * absent); other errors are thrown.
 */
export async function hasSchemaChanges(warehouse: Required<Pick<Warehouse, 'addColumns'>>): Promise<boolean> {
  try {
    await warehouse.addColumns(SCHEMA_CHANGES, []);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'OBJECT_NOT_FOUND') return false;
    throw error;
  }
}
