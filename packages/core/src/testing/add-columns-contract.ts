import { expect, it } from 'vitest';
import { column, defineTable, type ColumnSpec, type WarehouseRow } from '../contracts/tables.js';
import type { Warehouse } from '../contracts/warehouse.js';
import { toMs } from '../contracts/warehouse-values.js';
import { SCHEMA_CHANGES } from '../evolution/schema-changes.js';
import { schemaEvolution } from '../evolution/schema-evolution.js';
import { positionedSink } from '../positions/positioned-sink.js';

/*
 * What a warehouse with `addColumns` must do for schema evolution: add
 * columns idempotently and concurrently, give the table back as stored, load
 * rows of the widened table and still those of the defined one, and carry a
 * `schemaEvolution` end to end (clashes kept and counted, each record once).
 */

const EVOLVING = defineTable({
  name: 'CONTRACT_EVOLVING',
  description: 'A table the warehouse contract adds columns to.',
  columns: [
    column('ID', 'integer'),
    column('QUALITY_FLAGS', 'text', { nullable: true }),
    column('EXTRA_FIELDS', 'json', { nullable: true }),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});

const FED = defineTable({
  name: 'CONTRACT_EVOLVING_FED',
  description: 'A table the warehouse contract evolves through schemaEvolution.',
  columns: [
    column('ID', 'integer'),
    column('QUALITY_FLAGS', 'text', { nullable: true }),
    column('EXTRA_FIELDS', 'json', { nullable: true }),
  ],
});

/** The tables these cases load: the harness gives them to the warehouse it opens. */
export const ADD_COLUMNS_TABLES = [EVOLVING, FED, SCHEMA_CHANGES] as const;

const ADDED: readonly ColumnSpec[] = [
  { name: 'NOTE', type: 'text', nullable: true },
  { name: 'COUNT', type: 'bigint', nullable: true },
  { name: 'SCORE', type: 'double', nullable: true },
  { name: 'GIFT', type: 'boolean', nullable: true },
  { name: 'SEEN_AT', type: 'timestamp', nullable: true },
  { name: 'DETAIL', type: 'json', nullable: true },
];

/** A JSON column's value as read back: DuckDB gives the text, Snowflake the value. */
const jsonOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** The cases on `addColumns`, for `describeWarehouseContract`: `warehouse` is opened and given {@link ADD_COLUMNS_TABLES}. */
export function describeAddColumns(warehouse: () => Warehouse): void {
  const add = (...args: Parameters<NonNullable<Warehouse['addColumns']>>) => {
    const w = warehouse();
    if (!w.addColumns) throw new Error('the warehouse has no addColumns (set addColumns: false in the harness)');
    return w.addColumns(...args);
  };
  const names = (columns: readonly ColumnSpec[]) => columns.map((c) => `${c.name} ${c.type}`);

  it('addColumns: adds nullable columns once, at once from two callers too, and gives the table back as stored', async () => {
    await warehouse().init();
    await warehouse().append({ tables: [{ table: EVOLVING, rows: [[1, null, null]] }] });
    expect(names((await add(EVOLVING, [])).columns)).toEqual(names(EVOLVING.columns));
    const [a, b] = await Promise.all([add(EVOLVING, ADDED.slice(0, 3)), add(EVOLVING, ADDED.slice(0, 3))]);
    expect(names(a.columns)).toEqual(names([...EVOLVING.columns, ...ADDED.slice(0, 3)]));
    expect(b).toEqual(a);
    const all = await add(EVOLVING, ADDED);
    expect(names(all.columns)).toEqual(names([...EVOLVING.columns, ...ADDED]));
    expect(all.columns.slice(EVOLVING.columns.length).every((c) => c.nullable)).toBe(true);
    // A column asked for with another type than the stored one: the stored one is what comes back.
    const again = await add(EVOLVING, [{ name: 'NOTE', type: 'bigint', nullable: true }]);
    expect(again).toEqual(all);
  });

  it('addColumns: rows of the widened table load into the new columns, rows of the defined one still load, older rows read NULL', async () => {
    await warehouse().init();
    const table = await add(EVOLVING, ADDED);
    const seen = Date.UTC(2026, 11, 7, 10, 0, 0);
    const widened: WarehouseRow[] = [[2, null, null, 'hello', 2 ** 53 - 1, 0.1, true, seen, '{"a":[1,2]}']];
    await warehouse().append({ tables: [{ table, rows: widened }] });
    await warehouse().append({ tables: [{ table: EVOLVING, rows: [[3, null, null]] }] });
    const rows = await warehouse().query(
      `SELECT ID, NOTE, "COUNT", SCORE, GIFT, SEEN_AT, DETAIL FROM ${warehouse().table(EVOLVING.name)} ORDER BY ID`,
    );
    const read = rows.map((r) => ({
      ...r,
      ID: Number(r.ID),
      COUNT: r.COUNT === null ? null : Number(r.COUNT),
      SEEN_AT: r.SEEN_AT === null ? null : toMs(r.SEEN_AT),
      DETAIL: r.DETAIL === null ? null : jsonOf(r.DETAIL),
    }));
    const empty = { NOTE: null, COUNT: null, SCORE: null, GIFT: null, SEEN_AT: null, DETAIL: null };
    expect(read).toEqual([
      { ID: 1, ...empty },
      { ID: 2, NOTE: 'hello', COUNT: 2 ** 53 - 1, SCORE: 0.1, GIFT: true, SEEN_AT: seen, DETAIL: { a: [1, 2] } },
      { ID: 3, ...empty },
    ]);
  });

  it('addColumns: a table that does not exist is OBJECT_NOT_FOUND', async () => {
    await expect(add({ ...EVOLVING, name: 'CONTRACT_NO_SUCH_TABLE' }, ADDED)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
  });

  it('schemaEvolution: new fields become typed columns before the load, a clash stays in EXTRA_FIELDS flagged and counted, each record once', async () => {
    const w = warehouse();
    await w.init();
    const evolution = schemaEvolution({
      warehouse: { append: (l) => w.append(l), addColumns: (t, c) => add(t, c), query: (q, p) => w.query(q, p), table: (n) => w.table(n) },
      table: FED,
      group: 'g',
    });
    type Item = { position: { topic: string; partition: number; offset: number }; fields: Record<string, unknown> };
    const sink = positionedSink<Item>({
      warehouse: w,
      group: 'g',
      rows: (items) =>
        evolution.complete(
          items.map((i) => [i.position.offset, null, null]),
          items.map((i) => i.fields),
        ),
    });
    const at = (offset: number, fields: Record<string, unknown>): Item => ({
      position: { topic: 'evolving', partition: 0, offset },
      fields,
    });
    const first = [at(0, { coupon: 'A', gift: true }), at(1, { coupon: 'B', gift: false, note: null })];
    await sink.write(first);
    await sink.write(first); // replayed: dropped by positions
    // A number in the text column; a name that needs quotes; a second spelling of COUPON; a name no column can have.
    await sink.write([at(2, { coupon: 7, gift: true }), at(3, {}), at(4, { 'bad-name': 1, Coupon: 'C', coupon: 'D', 'x\ty': 5 })]);
    const rows = await w.query(`SELECT ID, COUPON, GIFT, "BAD-NAME", QUALITY_FLAGS, EXTRA_FIELDS FROM ${w.table(FED.name)} ORDER BY ID`);
    const read = rows.map((r) => ({
      ...r,
      ID: Number(r.ID),
      'BAD-NAME': r['BAD-NAME'] === null ? null : Number(r['BAD-NAME']),
      EXTRA_FIELDS: r.EXTRA_FIELDS === null ? null : jsonOf(r.EXTRA_FIELDS),
    }));
    const none = { 'BAD-NAME': null };
    expect(read).toEqual([
      { ID: 0, COUPON: 'A', GIFT: true, ...none, QUALITY_FLAGS: null, EXTRA_FIELDS: null },
      { ID: 1, COUPON: 'B', GIFT: false, ...none, QUALITY_FLAGS: null, EXTRA_FIELDS: { note: null } },
      { ID: 2, COUPON: null, GIFT: true, ...none, QUALITY_FLAGS: 'schema_clash', EXTRA_FIELDS: { coupon: 7 } },
      { ID: 3, COUPON: null, GIFT: null, ...none, QUALITY_FLAGS: null, EXTRA_FIELDS: null },
      { ID: 4, COUPON: 'D', GIFT: null, 'BAD-NAME': 1, QUALITY_FLAGS: 'schema_clash', EXTRA_FIELDS: { Coupon: 'C', 'x\ty': 5 } },
    ]);
    const changes = await w.query(
      `SELECT CHANGE, FIELD, COLUMN_NAME, COLUMN_TYPE, ROW_COUNT FROM ${w.table(SCHEMA_CHANGES.name)} WHERE TABLE_NAME = ?`,
      [FED.name],
    );
    const sorted = changes
      .map((c) => ({ ...c, ROW_COUNT: c.ROW_COUNT === null ? null : Number(c.ROW_COUNT) }))
      .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    expect(sorted).toEqual([
      { CHANGE: 'added', FIELD: 'bad-name', COLUMN_NAME: 'BAD-NAME', COLUMN_TYPE: 'bigint', ROW_COUNT: null },
      { CHANGE: 'added', FIELD: 'coupon', COLUMN_NAME: 'COUPON', COLUMN_TYPE: 'text', ROW_COUNT: null },
      { CHANGE: 'added', FIELD: 'gift', COLUMN_NAME: 'GIFT', COLUMN_TYPE: 'boolean', ROW_COUNT: null },
      { CHANGE: 'clash', FIELD: 'Coupon', COLUMN_NAME: 'COUPON', COLUMN_TYPE: 'text', ROW_COUNT: 1 },
      { CHANGE: 'clash', FIELD: 'coupon', COLUMN_NAME: 'COUPON', COLUMN_TYPE: 'text', ROW_COUNT: 1 },
      { CHANGE: 'clash', FIELD: 'x\ty', COLUMN_NAME: null, COLUMN_TYPE: null, ROW_COUNT: 1 },
    ]);
  });
}
