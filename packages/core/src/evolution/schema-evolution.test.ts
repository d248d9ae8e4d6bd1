import { describe, expect, it } from 'vitest';
import { column, defineTable, type ColumnSpec, type TableSpec, type WarehouseRow } from '../contracts/tables.js';
import type { WarehouseLoad } from '../contracts/warehouse.js';
import { ConfigError } from '../errors/config-error.js';
import { SCHEMA_CHANGES } from './schema-changes.js';
import { schemaEvolution, type SchemaClash } from './schema-evolution.js';

const VISITS = defineTable({
  name: 'VISITS',
  description: 'Visits.',
  columns: [
    column('URL', 'text'),
    column('QUALITY_FLAGS', 'text', { nullable: true }),
    column('EXTRA_FIELDS', 'json', { nullable: true }),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});

/** The two calls schemaEvolution makes, recorded; the table "stored" is the defined one plus what was added (and `others`). */
function fakeWarehouse(others: ColumnSpec[] = []) {
  const stored: ColumnSpec[] = [...others];
  const calls = { addColumns: [] as string[][], appended: [] as WarehouseLoad[] };
  return {
    calls,
    append: async (load: WarehouseLoad) => void calls.appended.push(load),
    addColumns: async (table: TableSpec, columns: readonly ColumnSpec[]) => {
      calls.addColumns.push(columns.map((c) => c.name));
      for (const c of columns) if (!stored.some((s) => s.name === c.name)) stored.push({ ...c, nullable: true });
      return { ...table, columns: [...table.columns, ...stored] };
    },
  };
}

const rowsOf = (...urls: string[]): WarehouseRow[] => urls.map((u) => [u, null, 'ignored']);

describe('schemaEvolution()', () => {
  it('refuses a table without a nullable json extras column or text flags column, naming it', () => {
    const warehouse = fakeWarehouse();
    const bare = defineTable({ name: 'BARE', description: 'x', columns: [column('URL', 'text')] });
    expect(() => schemaEvolution({ warehouse, table: bare })).toThrow(ConfigError);
    expect(() => schemaEvolution({ warehouse, table: bare })).toThrow('schema evolution of BARE needs a nullable json column EXTRA_FIELDS');
    expect(() => schemaEvolution({ warehouse, table: VISITS, flagsColumn: 'URL' })).toThrow('needs a nullable text column URL');
  });

  it('with no extra fields, leaves the rows as they are and adds nothing', async () => {
    const warehouse = fakeWarehouse();
    const evolution = schemaEvolution({ warehouse, table: VISITS });
    const rows = rowsOf('/a', '/b');
    const [visits, changes] = await evolution.complete(rows, [undefined, undefined]);
    expect(visits!.rows).toEqual([
      ['/a', null, 'ignored'],
      ['/b', null, 'ignored'],
    ]);
    expect(changes).toEqual({ table: SCHEMA_CHANGES, rows: [] });
    expect(warehouse.calls.addColumns).toEqual([[]]); // the first batch reads the stored columns, once
    await evolution.complete(rowsOf('/c'), [undefined]);
    expect(warehouse.calls.addColumns).toEqual([[]]);
  });

  it('adds a column per new field before the load, recorded first, and places values; null stays out of the columns', async () => {
    const warehouse = fakeWarehouse();
    const added: string[] = [];
    const evolution = schemaEvolution({
      warehouse,
      table: VISITS,
      group: 'g',
      onColumnAdded: (a) => added.push(`${a.column.name} ${a.column.type}`),
    });
    const [visits] = await evolution.complete(rowsOf('/a', '/b'), [
      { ref: 'news', n: 3 },
      { ref: null, note: null },
    ]);
    expect(added).toEqual(['REF text', 'N bigint']);
    expect(warehouse.calls.appended[0]!.tables[0]!.rows).toEqual([
      ['VISITS', 'added', 'ref', 'REF', 'text', null, null, 'g'],
      ['VISITS', 'added', 'n', 'N', 'bigint', null, null, 'g'],
    ]);
    expect(visits!.table.columns.map((c) => c.name)).toEqual(['URL', 'QUALITY_FLAGS', 'EXTRA_FIELDS', 'LOADED_AT', 'REF', 'N']);
    expect(visits!.rows).toEqual([
      ['/a', null, null, 'news', 3],
      ['/b', null, '{"note":null}', null, null],
    ]);
  });

  it('keeps a value that does not fit in the extras, flags its row after its other flags, and counts it once per field and column', async () => {
    const warehouse = fakeWarehouse();
    const clashes: SchemaClash[] = [];
    const evolution = schemaEvolution({ warehouse, table: VISITS, onClash: (c) => clashes.push(c) });
    await evolution.complete(rowsOf('/a'), [{ code: 'A' }]);
    const rows: WarehouseRow[] = [
      ['/b', 'unknown_brand', null],
      ['/c', null, null],
    ];
    const [visits, changes] = await evolution.complete(rows, [{ code: 7 }, { code: 8 }]);
    expect(visits!.rows).toEqual([
      ['/b', 'unknown_brand,schema_clash', '{"code":7}', null],
      ['/c', 'schema_clash', '{"code":8}', null],
    ]);
    expect(clashes).toEqual([{ table: 'VISITS', field: 'code', column: 'CODE', rows: 2, reason: '7 does not fit CODE (text)' }]);
    expect(changes!.rows).toEqual([['VISITS', 'clash', 'code', 'CODE', 'text', 2, '7 does not fit CODE (text)', null]]);
  });

  it('uses the type the warehouse has, when another writer added the column first', async () => {
    const warehouse = fakeWarehouse([{ name: 'CODE', type: 'bigint', nullable: true }]);
    const evolution = schemaEvolution({ warehouse, table: VISITS });
    const [visits] = await evolution.complete(rowsOf('/a', '/b'), [{ code: 'A' }, { code: 5 }]);
    expect(warehouse.calls.addColumns).toEqual([[]]);
    expect(visits!.rows).toEqual([
      ['/a', 'schema_clash', '{"code":"A"}', null],
      ['/b', null, null, 5],
    ]);
  });

  it('asks once for a column the warehouse gives back with a type it does not load, then keeps its values in the extras, flagged', async () => {
    const warehouse = fakeWarehouse();
    const addColumns = warehouse.addColumns;
    // As a column changed by hand to DECIMAL(18,3): stored, but left out of the table the warehouse returns.
    warehouse.addColumns = async (table, columns) => ({ ...(await addColumns(table, columns)), columns: table.columns });
    const clashes: SchemaClash[] = [];
    const evolution = schemaEvolution({ warehouse, table: VISITS, onClash: (c) => clashes.push(c) });
    await evolution.complete(rowsOf('/a'), [{ price: 1.5 }]);
    const [visits] = await evolution.complete(rowsOf('/b'), [{ price: 2.5 }]);
    expect(warehouse.calls.addColumns).toEqual([[], ['PRICE']]);
    expect(visits!.rows).toEqual([['/b', 'schema_clash', '{"price":2.5}']]);
    expect(clashes.map((c) => c.reason)).toEqual([
      'VISITS.PRICE has a type schema evolution does not load',
      'VISITS.PRICE has a type schema evolution does not load',
    ]);
  });

  it('keeps fields that cannot be columns in the extras, flagged: a defined name, two fields of one name, a name that is not plain, beyond maxAddedColumns', async () => {
    const warehouse = fakeWarehouse();
    const clashes: SchemaClash[] = [];
    const evolution = schemaEvolution({ warehouse, table: VISITS, maxAddedColumns: 1, onClash: (c) => clashes.push(c) });
    const [visits] = await evolution.complete(rowsOf('/a', '/b'), [
      { first: 1, Url: '/x', 'a-b': 2 },
      { second: 'x', Dup: 1, DUP: 2 },
    ]);
    expect(visits!.table.columns.map((c) => c.name).slice(4)).toEqual(['FIRST']);
    expect(visits!.rows).toEqual([
      ['/a', 'schema_clash', '{"Url":"/x","a-b":2}', 1],
      ['/b', 'schema_clash', '{"second":"x","Dup":1,"DUP":2}', null],
    ]);
    expect(clashes.map((c) => `${c.field}: ${c.reason}`)).toEqual([
      'Url: URL is a defined column of VISITS',
      'a-b: "a-b" is not a plain column name (letters, digits, _ and $)',
      'second: VISITS has 1 added columns, the most allowed (maxAddedColumns)',
      'Dup: two fields of the record name DUP',
      'DUP: two fields of the record name DUP',
    ]);
  });

  it('keeps a field named __proto__ as a field, in its column or in the extras', async () => {
    const warehouse = fakeWarehouse();
    const evolution = schemaEvolution({ warehouse, table: VISITS, maxAddedColumns: 0 });
    const fields = JSON.parse('{"__proto__": {"x": 1}, "other": 2}') as Record<string, unknown>;
    const [visits] = await evolution.complete(rowsOf('/a'), [fields]);
    expect(JSON.parse(visits!.rows[0]![2] as string)).toEqual(JSON.parse('{"__proto__": {"x": 1}, "other": 2}'));
    expect(Object.keys(JSON.parse(visits!.rows[0]![2] as string))).toEqual(['__proto__', 'other']);
  });
});
