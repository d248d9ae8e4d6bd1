import { loadedColumns, type ColumnSpec, type ColumnType, type TableRows, type TableSpec, type WarehouseRow } from '../contracts/tables.js';
import type { Warehouse, WarehouseLoad } from '../contracts/warehouse.js';
import { ConfigError } from '../errors/config-error.js';
import { describeError } from '../errors/describe-error.js';
import { isRetriable } from '../errors/is-retriable.js';
import { describeValue } from '../rows/row-encoder.js';
import { evolvedColumnName } from './column-name.js';
import { CLASH, evolvedCell, inferColumnType } from './infer-column.js';
import { SCHEMA_CHANGES, hasSchemaChanges } from './schema-changes.js';

type Cell = WarehouseRow[number];

/** A record's fields that have no column of the table as defined: name → value, as parsed. */
export type ExtraFields = Readonly<Record<string, unknown>>;

/** Options of {@link schemaEvolution}. */
export interface SchemaEvolutionOptions {
  /**
   * `addColumns` adds and reads the table's columns; `append` records added
   * columns in {@link SCHEMA_CHANGES}, and `query` reads there which field
   * each added column is for.
   */
  warehouse: Pick<Warehouse, 'append' | 'query' | 'table'> & Required<Pick<Warehouse, 'addColumns'>>;
  /** The table as defined. It needs a nullable `json` extras column and a nullable `text` flags column. */
  table: TableSpec;
  /** The column that keeps fields without a column, as JSON. Default `EXTRA_FIELDS`. */
  extrasColumn?: string;
  /** The column of comma-separated data-quality flags. Default `QUALITY_FLAGS`. */
  flagsColumn?: string;
  /** The flag of a row that kept a value in the extras column because it could not go to a column. Default `schema_clash`. */
  clashFlag?: string;
  /** Most columns added to the table (all runs together); fields beyond stay in the extras column, flagged. Default 100. */
  maxAddedColumns?: number;
  /** Recorded with each change in {@link SCHEMA_CHANGES}. */
  group?: string;
  /** A column was added (by this writer, or found added by another). */
  onColumnAdded?: (added: AddedColumn) => void;
  /** Values of a load that stayed in the extras column, per field and column. */
  onClash?: (clash: SchemaClash) => void;
  /**
   * The warehouse refused to add columns, for a reason retrying will not
   * change (no privilege to alter the table, say): their fields' values stay
   * in the extras column, flagged, until a later run adds them. Errors worth
   * retrying fail the load instead, which is retried.
   */
  onAddRefused?: (refused: { table: string; columns: readonly string[]; error: unknown }) => void;
}

/** What a sink that evolves its table takes: {@link SchemaEvolutionOptions} but the warehouse, table and group, which are the sink's. */
export type SchemaEvolutionSettings = Omit<SchemaEvolutionOptions, 'warehouse' | 'table' | 'group'>;

/** A column that schema evolution added to a table. */
export interface AddedColumn {
  readonly table: string;
  readonly field: string;
  readonly column: ColumnSpec;
}

/** Values of one field, in one load, that could not go to a column: they stayed in the extras column. */
export interface SchemaClash {
  readonly table: string;
  readonly field: string;
  /** The column the field names, when there is one. */
  readonly column: string | undefined;
  /** How many rows of the load. */
  readonly rows: number;
  /** Why, with the first such value. */
  readonly reason: string;
}

/** A table that gains a column for each new field of the records loaded into it (see {@link schemaEvolution}). */
export interface SchemaEvolution {
  /** The table as it is now: its defined columns, then those added, in the stored table's order. */
  readonly table: TableSpec;
  /** The column that keeps fields without a column. */
  readonly extrasColumn: string;
  /**
   * Completes a batch's rows and returns what to append (before the batch's
   * load, in the same call, it adds the columns new fields need). `rows[i]`
   * is a row of the table as defined ({@link loadedColumns} order; its extras
   * cell is ignored) and `extras[i]` its record's fields without a defined
   * column (`undefined`: none, and the row's extras cell is kept). Each field that has an added column whose
   * type its value fits goes there; the others stay in the extras column, and
   * a row that kept a value a column could have held is flagged. The result:
   * the rows, widened to {@link SchemaEvolution.table} (in place: they must be
   * arrays of the caller's own), and the clashes for {@link SCHEMA_CHANGES}.
   */
  complete(rows: readonly WarehouseRow[], extras: readonly (ExtraFields | undefined)[]): Promise<TableRows[]>;
}

interface Added {
  readonly name: string;
  readonly type: ColumnType;
  /** Its cell's index in a row of the evolved table. */
  readonly index: number;
}

interface ClashCount {
  field: string;
  column: Added | undefined;
  rows: number;
  reason: string;
}

/**
 * Schema evolution of one table: fields that producers add become columns,
 * typed from their values, before the load that first carries them; nothing
 * is lost when a later value does not fit. Opt-in: give it the table and the
 * warehouse (which must have `addColumns`, and {@link SCHEMA_CHANGES} among
 * its tables).
 *
 * - A field with no column becomes one named as the warehouse names an
 *   unquoted identifier (`coupon_code` → `COUPON_CODE`, quoted where it must
 *   be: `coupon-code` → `"COUPON-CODE"`; see `evolvedColumnName`), of the type its first value asks for (see
 *   `inferColumnType`), added with `ADD COLUMN IF NOT EXISTS`, so two
 *   consumers adding it at once both succeed; the columns are then read back
 *   from the warehouse, so the type that won is the one used. Rows loaded
 *   before read NULL there; nothing rewrites them.
 * - A value that does not fit its column as it is (a number in a text column)
 *   is never coerced and never a dead letter: it stays in the extras column,
 *   the row is flagged, and the clash is counted in `SCHEMA_CHANGES` in the
 *   load's own transaction. So are fields that cannot be a column: a name
 *   that names a defined column (`Brand`), a second field that names an added
 *   column (`couponCode` after `COUPONCODE`: the column is the field's that
 *   added it), a name no column can have (empty, over 255 characters, control
 *   characters), fields beyond `maxAddedColumns`, and fields whose column the
 *   warehouse refused to add.
 * - A crash between the `ALTER TABLE` and the load loses and duplicates
 *   nothing: the column stays, the load had not happened, and the records are
 *   loaded again (with their positions) by the next run, which reads the
 *   column back.
 *
 * The fields are those the caller has already parsed: nothing is parsed
 * twice, and a batch without extra fields costs one loop over its rows.
 *
 * @example
 * ```ts
 * import { SCHEMA_CHANGES, column, defineTable, schemaEvolution, type Warehouse } from '@sneakpipe/core';
 *
 * declare const warehouse: Warehouse & Required<Pick<Warehouse, 'addColumns'>>; // opened with [VISITS, SCHEMA_CHANGES]
 * const VISITS = defineTable({
 *   name: 'VISITS',
 *   description: 'Visits.',
 *   columns: [
 *     column('URL', 'text'),
 *     column('QUALITY_FLAGS', 'text', { nullable: true }),
 *     column('EXTRA_FIELDS', 'json', { nullable: true }),
 *   ],
 * });
 * const evolution = schemaEvolution({ warehouse, table: VISITS });
 * const tables = await evolution.complete([['/home', null, null]], [{ referrer: 'news', seconds: 12 }]);
 * // VISITS gained REFERRER (text) and SECONDS (bigint); tables[0].rows[0] is ['/home', null, null, 'news', 12]
 * ```
 */
export function schemaEvolution(options: SchemaEvolutionOptions): SchemaEvolution {
  const { warehouse, table: defined } = options;
  const extrasColumn = options.extrasColumn ?? 'EXTRA_FIELDS';
  const extrasIndex = columnIndex(defined, extrasColumn, 'json');
  const flagsIndex = columnIndex(defined, options.flagsColumn ?? 'QUALITY_FLAGS', 'text');
  const clashFlag = options.clashFlag ?? 'schema_clash';
  const maxAdded = options.maxAddedColumns ?? 100;
  const definedNames = new Set(defined.columns.map((c) => c.name.toUpperCase()));
  const definedWidth = loadedColumns(defined).length;
  const names = new NameCache();
  let table: TableSpec = defined;
  /** The added columns, by upper-cased name (a column added by hand in lower case is found by its field too). */
  let added = new Map<string, Added>();
  /** The field each added column is for (upper-cased name → field): any other field naming it clashes. */
  const owners = new Map<string, string>();
  /** Names this run will not ask for again, and why: refused by the warehouse, or given back with a type no logical type stands for. */
  const unusable = new Map<string, string>();
  let opened = false;

  /** Takes the table as the warehouse returned it: the columns after the defined ones are those added. */
  function adopt(stored: TableSpec): void {
    table = stored;
    added = new Map(
      loadedColumns(stored)
        .slice(definedWidth)
        .map((c, i) => [c.name.toUpperCase(), { name: c.name, type: c.type, index: definedWidth + i }]),
    );
  }

  /**
   * Reads the table's columns, and from `SCHEMA_CHANGES` the field each was
   * added for; a warehouse opened without `SCHEMA_CHANGES` fails here, at
   * the first batch, not at the first new field days later.
   */
  async function open(): Promise<void> {
    if (!(await hasSchemaChanges(warehouse))) {
      throw new ConfigError(
        `schema evolution of ${defined.name} records its changes in SCHEMA_CHANGES: open the warehouse with it among its tables`,
      );
    }
    adopt(await warehouse.addColumns(defined, []));
    const records = await warehouse.query(
      `SELECT COLUMN_NAME, FIELD FROM ${warehouse.table(SCHEMA_CHANGES.name)} WHERE TABLE_NAME = ? AND CHANGE = 'added' ORDER BY CHANGED_AT`,
      [defined.name],
    );
    for (const r of records) {
      const name = String(r.COLUMN_NAME).toUpperCase();
      if (!owners.has(name)) owners.set(name, String(r.FIELD));
    }
  }

  /** The field an added column is for: the one recorded, else (a column added by hand) the first that names it. */
  const ownerOf = (name: string, field: string): string => {
    const owner = owners.get(name);
    if (owner !== undefined) return owner;
    owners.set(name, field);
    return field;
  };

  /** Columns the batch's new fields ask for: the first non-null value of each decides its type. */
  function wanted(extras: readonly (ExtraFields | undefined)[]): Map<string, { field: string; type: ColumnType }> | undefined {
    let found: Map<string, { field: string; type: ColumnType }> | undefined;
    for (const fields of extras) {
      if (!fields) continue;
      for (const field in fields) {
        const name = names.of(field);
        if (name === undefined || definedNames.has(name) || added.has(name) || unusable.has(name) || found?.has(name)) continue;
        if (added.size + (found?.size ?? 0) >= maxAdded) return found;
        const type = inferColumnType(fields[field]);
        if (type) (found ??= new Map()).set(name, { field, type });
      }
    }
    return found;
  }

  async function addColumns(columns: Map<string, { field: string; type: ColumnType }>): Promise<void> {
    const specs = [...columns].map(([name, { type }]) => ({ name, type, nullable: true }));
    // Recorded first: a crash before the ALTER leaves a row for a column the next run adds, never a column without one.
    await warehouse.append({
      tables: [
        {
          table: SCHEMA_CHANGES,
          rows: [...columns].map(([name, { field, type }]) => [
            defined.name,
            'added',
            field,
            name,
            type,
            null,
            null,
            options.group ?? null,
          ]),
        },
      ],
    });
    try {
      adopt(await warehouse.addColumns(defined, specs));
    } catch (error) {
      if (isRetriable(error)) throw error;
      // Not a passing fault: the stream goes on, these fields' values kept in the extras, until a later run.
      const why = `the warehouse refused to add it: ${describeError(error)}`;
      for (const name of columns.keys()) unusable.set(name, why);
      options.onAddRefused?.({ table: defined.name, columns: [...columns.keys()], error });
      return;
    }
    for (const [name, { field }] of columns) {
      const column = added.get(name);
      if (!column) {
        unusable.set(name, 'it has a type schema evolution does not load');
        continue;
      }
      ownerOf(name, field);
      options.onColumnAdded?.({ table: defined.name, field, column: { name: column.name, type: column.type, nullable: true } });
    }
  }

  /** Why a field's value stays in the extras column, when it could have had a column of its own. */
  function noColumn(field: string, name: string | undefined): string {
    if (name === undefined) return `${describeValue(field)} cannot be a column name (empty, over 255 characters, or control characters)`;
    if (definedNames.has(name)) return `${name} is a defined column of ${defined.name}`;
    const unused = unusable.get(name);
    if (unused) return `no column ${defined.name}.${name}: ${unused}`;
    return `${defined.name} has ${added.size} added columns, the most allowed (maxAddedColumns)`;
  }

  return {
    get table() {
      return table;
    },
    extrasColumn,
    async complete(rows, extras) {
      if (!opened) {
        await open();
        opened = true;
      }
      const columns = wanted(extras);
      if (columns) await addColumns(columns);
      const width = definedWidth + added.size;
      const clashes = new Map<string, ClashCount>();
      const clash = (field: string, column: Added | undefined, reason: () => string) => {
        const key = column ? `${field}\u0000${column.name}` : field;
        const count = clashes.get(key);
        if (count) count.rows++;
        else clashes.set(key, { field, column, rows: 1, reason: reason() });
      };
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as Cell[];
        for (let c = definedWidth; c < width; c++) row[c] = null;
        const fields = extras[i];
        if (!fields) continue;
        let kept: Record<string, unknown> | undefined;
        let clashed = false;
        for (const field in fields) {
          const value = fields[field];
          const name = names.of(field);
          const column = name === undefined ? undefined : added.get(name);
          if (column) {
            const owner = ownerOf(name!, field);
            if (owner === field) {
              if (value === null) continue;
              const cell = evolvedCell(column.type, value);
              if (cell !== CLASH) {
                row[column.index] = cell;
                continue;
              }
            }
            if (value !== null) {
              clash(field, column, () =>
                owner === field
                  ? `${describeValue(value)} does not fit ${column.name} (${column.type})`
                  : `${column.name} is the column of ${describeValue(owner)}`,
              );
              clashed = true;
            }
          } else if (value !== null) {
            clash(field, undefined, () => noColumn(field, name));
            clashed = true;
          }
          // No prototype: a field named __proto__ is kept as a field, not taken for the object's prototype.
          (kept ??= Object.create(null) as Record<string, unknown>)[field] = value;
        }
        row[extrasIndex] = kept ? JSON.stringify(kept) : null;
        if (clashed) row[flagsIndex] = row[flagsIndex] ? `${String(row[flagsIndex])},${clashFlag}` : clashFlag;
      }
      const changes = [...clashes.values()].map(({ field, column, rows: count, reason }) => {
        options.onClash?.({ table: defined.name, field, column: column?.name, rows: count, reason });
        return [defined.name, 'clash', field, column?.name ?? null, column?.type ?? null, count, reason, options.group ?? null];
      });
      return [
        { table, rows },
        { table: SCHEMA_CHANGES, rows: changes },
      ];
    },
  };
}

/** The index of a nullable column of this type among the table's loaded columns, or a `ConfigError` naming what is missing. */
function columnIndex(table: TableSpec, name: string, type: ColumnType): number {
  const index = loadedColumns(table).findIndex((c) => c.name === name);
  const column = loadedColumns(table)[index];
  if (!column || column.type !== type || !column.nullable) {
    throw new ConfigError(`schema evolution of ${table.name} needs a nullable ${type} column ${name}`);
  }
  return index;
}

/** Field name → column name, remembered: the same few fields come in every record. Bounded, for producers that send keys as data. */
class NameCache {
  private readonly known = new Map<string, string | undefined>();
  of(field: string): string | undefined {
    if (this.known.has(field)) return this.known.get(field);
    if (this.known.size >= 10_000) this.known.clear();
    const name = evolvedColumnName(field);
    this.known.set(field, name);
    return name;
  }
}

/** The warehouse of a sink that may evolve its table: what `schemaEvolution` uses of it is checked when it is asked for. */
export type SinkWarehouse = Pick<Warehouse, 'append'> & Partial<Pick<Warehouse, 'addColumns' | 'query' | 'table'>>;

/**
 * The evolution a sink's `schemaEvolution` option asks for, on the sink's
 * warehouse, table and group: none for `false` or `undefined`; a
 * `ConfigError` when the warehouse cannot add columns.
 */
export function sinkSchemaEvolution(
  setting: boolean | SchemaEvolutionSettings | undefined,
  sink: { warehouse: SinkWarehouse; table: TableSpec; group: string },
): SchemaEvolution | undefined {
  if (!setting) return undefined;
  const { warehouse: w, table, group } = sink;
  if (!w.addColumns || !w.query || !w.table) {
    throw new ConfigError(`schema evolution of ${table.name} needs a warehouse that can add columns (addColumns, query, table)`);
  }
  const [addColumns, query, name] = [w.addColumns.bind(w), w.query.bind(w), w.table.bind(w)];
  const warehouse = { append: (l: WarehouseLoad) => w.append(l), addColumns, query, table: name };
  return schemaEvolution({ ...(setting === true ? {} : setting), warehouse, table, group });
}
