import { describe, expect, it } from 'vitest';
import { column, defineTable, type ColumnSpec, type TableSpec, type WarehouseRow } from '../contracts/tables.js';
import type { Row, WarehouseLoad } from '../contracts/warehouse.js';
import { SneakpipeError } from '../errors/sneakpipe-error.js';
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

/**
 * What schemaEvolution asks of a warehouse, recorded: the table "stored" is
 * the defined one plus what was added (and `others`); SCHEMA_CHANGES exists
 * and `recorded` is what its `added` rows say.
 */
function fakeWarehouse(others: ColumnSpec[] = [], recorded: { COLUMN_NAME: string; FIELD: string }[] = []) {
  const stored: ColumnSpec[] = [...others];
  const calls = { addColumns: [] as string[][], appended: [] as WarehouseLoad[] };
  return {
    calls,
    append: async (load: WarehouseLoad) => void calls.appended.push(load),
    addColumns: async (table: TableSpec, columns: readonly ColumnSpec[]): Promise<TableSpec> => {
      if (table.name === SCHEMA_CHANGES.name) return table;
      calls.addColumns.push(columns.map((c) => c.name));
      for (const c of columns) if (!stored.some((s) => s.name === c.name)) stored.push({ ...c, nullable: true });
      return { ...table, columns: [...table.columns, ...stored] };
    },
    query: async <R extends Row = Row>() => recorded as unknown as R[],
    table: (name: string) => name,
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
      'no column VISITS.PRICE: it has a type schema evolution does not load',
      'no column VISITS.PRICE: it has a type schema evolution does not load',
    ]);
  });

  it('goes on loading when the warehouse refuses to add a column for good: the values stay in the extras, flagged, and it asks no more', async () => {
    const warehouse = fakeWarehouse();
    const addColumns = warehouse.addColumns;
    warehouse.addColumns = async (table, columns) => {
      if (columns.length > 0)
        throw new SneakpipeError('NOT_AUTHORIZED', 'Insufficient privileges to operate on table', { retriable: false });
      return addColumns(table, columns);
    };
    const refused: string[][] = [];
    const clashes: SchemaClash[] = [];
    const evolution = schemaEvolution({
      warehouse,
      table: VISITS,
      onAddRefused: (r) => refused.push([...r.columns]),
      onClash: (c) => clashes.push(c),
    });
    const [first] = await evolution.complete(rowsOf('/a'), [{ ref: 'news' }]);
    const [second] = await evolution.complete(rowsOf('/b'), [{ ref: 'ads' }]);
    expect(refused).toEqual([['REF']]); // asked once
    expect([first!.rows, second!.rows]).toEqual([[['/a', 'schema_clash', '{"ref":"news"}']], [['/b', 'schema_clash', '{"ref":"ads"}']]]);
    expect(clashes[0]!.reason).toMatch(/^no column VISITS\.REF: the warehouse refused to add it: .*Insufficient privileges/);
  });

  it('fails the batch when adding a column fails for a passing reason: the load is tried again', async () => {
    const warehouse = fakeWarehouse();
    const addColumns = warehouse.addColumns;
    let failures = 1;
    warehouse.addColumns = async (table, columns) => {
      if (columns.length > 0 && failures-- > 0) throw new SneakpipeError('WAREHOUSE_UNAVAILABLE', 'connection reset', { retriable: true });
      return addColumns(table, columns);
    };
    const evolution = schemaEvolution({ warehouse, table: VISITS });
    await expect(evolution.complete(rowsOf('/a'), [{ ref: 'news' }])).rejects.toThrow('connection reset');
    const [visits] = await evolution.complete(rowsOf('/a'), [{ ref: 'news' }]);
    expect(visits!.rows).toEqual([['/a', null, null, 'news']]);
  });

  it("refuses to start without SCHEMA_CHANGES among the warehouse's tables, at the first batch", async () => {
    const warehouse = fakeWarehouse();
    const addColumns = warehouse.addColumns;
    warehouse.addColumns = async (table, columns) => {
      if (table.name === SCHEMA_CHANGES.name) throw new SneakpipeError('OBJECT_NOT_FOUND', 'no table SCHEMA_CHANGES', { retriable: false });
      return addColumns(table, columns);
    };
    const evolution = schemaEvolution({ warehouse, table: VISITS });
    await expect(evolution.complete(rowsOf('/a'), [undefined])).rejects.toThrow(
      'schema evolution of VISITS records its changes in SCHEMA_CHANGES: open the warehouse with it among its tables',
    );
  });

  it('gives an added column to the field it was added for: another spelling clashes, in the same record or another, in this run or the next', async () => {
    const warehouse = fakeWarehouse([{ name: 'PROMO', type: 'text', nullable: true }], [{ COLUMN_NAME: 'PROMO', FIELD: 'promo' }]);
    const clashes: SchemaClash[] = [];
    const evolution = schemaEvolution({ warehouse, table: VISITS, onClash: (c) => clashes.push(c) });
    const [visits] = await evolution.complete(rowsOf('/a', '/b', '/c'), [
      { couponCode: 'A', Promo: 'x' },
      { COUPONCODE: 'B', promo: 'y' },
      { couponCode: 'C', COUPONCODE: 'D' },
    ]);
    expect(visits!.rows).toEqual([
      ['/a', 'schema_clash', '{"Promo":"x"}', null, 'A'],
      ['/b', 'schema_clash', '{"COUPONCODE":"B"}', 'y', null],
      ['/c', 'schema_clash', '{"COUPONCODE":"D"}', null, 'C'],
    ]);
    expect(clashes.map((c) => `${c.field}: ${c.reason} (${c.rows})`)).toEqual([
      'Promo: PROMO is the column of "promo" (1)',
      'COUPONCODE: COUPONCODE is the column of "couponCode" (2)',
    ]);
  });

  it('keeps fields that cannot be columns in the extras, flagged: a defined name, a name no column can have, beyond maxAddedColumns', async () => {
    const warehouse = fakeWarehouse();
    const clashes: SchemaClash[] = [];
    const evolution = schemaEvolution({ warehouse, table: VISITS, maxAddedColumns: 1, onClash: (c) => clashes.push(c) });
    const [visits] = await evolution.complete(rowsOf('/a', '/b'), [
      { 'first-one': 1, Url: '/x', '': 2 },
      { second: 'x', 'tab\tkey': 3 },
    ]);
    expect(visits!.table.columns.map((c) => c.name).slice(4)).toEqual(['FIRST-ONE']);
    expect(visits!.rows).toEqual([
      ['/a', 'schema_clash', '{"Url":"/x","":2}', 1],
      ['/b', 'schema_clash', '{"second":"x","tab\\tkey":3}', null],
    ]);
    expect(clashes.map((c) => `${c.field}: ${c.reason}`)).toEqual([
      'Url: URL is a defined column of VISITS',
      ': "" cannot be a column name (empty, over 255 characters, or control characters)',
      'second: VISITS has 1 added columns, the most allowed (maxAddedColumns)',
      'tab\tkey: "tab\\tkey" cannot be a column name (empty, over 255 characters, or control characters)',
    ]);
  });

  it('keeps a field named __proto__ as a field, in its column or in the extras', async () => {
    const warehouse = fakeWarehouse();
    const fields = JSON.parse('{"__proto__": {"x": 1}, "other": 2}') as Record<string, unknown>;
    // No column to add: both stay in the extras.
    const kept = await schemaEvolution({ warehouse: fakeWarehouse(), table: VISITS, maxAddedColumns: 0 }).complete(rowsOf('/a'), [fields]);
    expect(Object.keys(JSON.parse(kept[0]!.rows[0]![2] as string))).toEqual(['__proto__', 'other']);
    expect(JSON.parse(kept[0]!.rows[0]![2] as string)).toEqual(JSON.parse('{"__proto__": {"x": 1}, "other": 2}'));
    // A column for each.
    const placed = await schemaEvolution({ warehouse: fakeWarehouse(), table: VISITS }).complete(rowsOf('/a'), [fields]);
    expect(placed[0]!.table.columns.map((c) => c.name).slice(4)).toEqual(['__PROTO__', 'OTHER']);
    expect(placed[0]!.rows[0]).toEqual(['/a', null, null, '{"x":1}', 2]);
  });
});
