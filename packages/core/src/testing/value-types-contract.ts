import { expect, it } from 'vitest';
import { column, defineTable, type TableSpec, type WarehouseRow } from '../contracts/tables.js';
import type { Warehouse } from '../contracts/warehouse.js';
import { rowEncoder } from '../rows/row-encoder.js';

/*
 * The value types a warehouse must store exactly, whatever the harness's own
 * tables hold: booleans and 64-bit doubles, NOT NULL and nullable, on both
 * ways in (an append-only table, a keyed table loaded with insertIfAbsent:
 * the connectors take a different path for each).
 */

const VALUE_COLUMNS = [
  column('ID', 'integer'),
  column('FLAG', 'boolean', { nullable: true }),
  column('RATIO', 'double', { nullable: true }),
  column('CHECKED', 'boolean'),
  column('LEVEL', 'double'),
] as const;

const VALUES_APPENDED = defineTable({
  name: 'CONTRACT_VALUES',
  description: 'Booleans and doubles the warehouse contract appends and reads back.',
  columns: [...VALUE_COLUMNS, column('LOADED_AT', 'timestamp', { default: 'now' })],
});

const VALUES_KEYED = defineTable({
  name: 'CONTRACT_VALUES_KEYED',
  description: 'Booleans and doubles the warehouse contract inserts if absent and reads back.',
  columns: VALUE_COLUMNS,
  primaryKey: 'ID',
});

/** The tables the suite loads besides the harness's: the harness gives them to the warehouse it opens. */
export const SUITE_TABLES: readonly TableSpec[] = [VALUES_APPENDED, VALUES_KEYED];

type ValuesRow = { ID: number; FLAG?: boolean | null; RATIO?: number | null; CHECKED: boolean; LEVEL: number };

// The first row's values are the awkward ones for array binds (a null boolean, an integral double) on purpose.
const ROWS: readonly ValuesRow[] = [
  { ID: 1, FLAG: null, RATIO: 1e300, CHECKED: true, LEVEL: 0 },
  { ID: 2, FLAG: true, RATIO: 0.1, CHECKED: false, LEVEL: -1.5 },
  { ID: 3, FLAG: false, RATIO: -2.5e-300, CHECKED: true, LEVEL: 123456789.123 },
  { ID: 4, FLAG: true, RATIO: 123456789.123, CHECKED: false, LEVEL: 0.1 + 0.2 },
  { ID: 5, RATIO: null, CHECKED: true, LEVEL: -1e-300 },
];

/** The cases on value types, for `describeWarehouseContract`: `warehouse` is its warehouse, opened and given {@link SUITE_TABLES}. */
export function describeValueTypes(warehouse: () => Warehouse): void {
  const rows: WarehouseRow[] = ROWS.map(rowEncoder(VALUES_APPENDED));
  const expected = ROWS.map((r) => ({ ID: r.ID, FLAG: r.FLAG ?? null, RATIO: r.RATIO ?? null, CHECKED: r.CHECKED, LEVEL: r.LEVEL }));
  const readBack = async (table: string) => {
    const got = await warehouse().query(`SELECT ID, FLAG, RATIO, CHECKED, LEVEL FROM ${warehouse().table(table)} ORDER BY ID`);
    // Booleans must come back as booleans (not 1/0 or "true") and doubles as the same number, bit for bit.
    return got.map((r) => ({ ...r, ID: Number(r.ID) }));
  };

  it('stores booleans as booleans and doubles exactly, nulls included, in an append-only table', async () => {
    await warehouse().init();
    // With a position, so a warehouse that loads positioned records its own way (Snowpipe Streaming) is the one checked.
    const group = `value-types-${process.pid}-${Date.now()}`;
    await warehouse().append({
      tables: [{ table: VALUES_APPENDED, rows }],
      group,
      positions: [{ topic: 'value-types', partition: 0, from: null, to: rows.length }],
    });
    expect(await readBack(VALUES_APPENDED.name)).toEqual(expected);
    const [flagged] = await warehouse().query(`SELECT COUNT(*) AS N FROM ${warehouse().table(VALUES_APPENDED.name)} WHERE FLAG`);
    expect(Number(flagged!.N)).toBe(2);
  });

  it('stores booleans and doubles exactly in a keyed table loaded with insertIfAbsent', async () => {
    await warehouse().init();
    await warehouse().insertIfAbsent(VALUES_KEYED, rows);
    await warehouse().insertIfAbsent(VALUES_KEYED, rows.slice(0, 2));
    expect(await readBack(VALUES_KEYED.name)).toEqual(expected);
  });
}
