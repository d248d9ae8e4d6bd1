import { SneakpipeError } from '../errors/sneakpipe-error.js';
import type { ColumnSpec, TableRows, TableSpec, WarehouseRow } from './tables.js';

/** A row as read back from a warehouse query: column name → value. */
export type Row = Record<string, unknown>;

/**
 * Moves one partition's stored position from `from` to `to` — only if the
 * warehouse still holds `from` (compare and set), so two writers can never
 * both load the same records.
 */
export interface PositionAdvance {
  readonly topic: string;
  readonly partition: number;
  /** The stored next offset this writer expects; `null` when it expects none yet. */
  readonly from: number | null;
  /** The next offset after this load. */
  readonly to: number;
}

/** One load: rows for some tables, and the positions they take the source to, applied together or not at all. */
export interface WarehouseLoad {
  readonly tables: readonly TableRows[];
  /** The consumer group whose positions advance. Required with `positions`. */
  readonly group?: string;
  readonly positions?: readonly PositionAdvance[];
}

/** A stored position that was not what a load expected. */
export interface PositionConflict {
  readonly topic: string;
  readonly partition: number;
  readonly expected: number | null;
  readonly stored: number | null;
}

/**
 * A load whose expected positions were not the stored ones: another writer
 * (a member that took the partition over, or the same records replayed) got
 * there first. Nothing of the load was written. Not worth retrying as it is:
 * read the positions again and drop what is already loaded.
 *
 * Code `POSITION_CONFLICT`, retriable: `positionedSink` records the positions
 * found, so the next attempt of the same batch starts from them (and drops
 * what the other writer loaded) rather than repeating the conflict.
 */
export class PositionConflictError extends SneakpipeError {
  override readonly name: string = 'PositionConflictError';
  override readonly code = 'POSITION_CONFLICT';
  constructor(readonly conflicts: readonly PositionConflict[]) {
    super(
      'POSITION_CONFLICT',
      `stored position moved: ${conflicts
        .map((c) => `${c.topic}/${c.partition} expected ${c.expected ?? 'none'}, found ${c.stored ?? 'none'}`)
        .join('; ')}`,
      { retriable: true },
    );
  }
}

/**
 * A load to make in two parts, refused before anything of it was written, by
 * a warehouse whose tables commit separately (Snowpipe Streaming's channels,
 * one per table): with `at`, some table already holds the rows of the
 * partition's records below `at` and the others do not, so the parts are the
 * records below `at` and the rest (the first then leaves that table's rows
 * out, as they are there already); without `at`, the load is larger than the
 * warehouse takes at once, so the records are halved. `positionedSink` loads
 * the two parts one after the other.
 *
 * Code `POSITION_CONFLICT`, retriable.
 */
export class LoadSplitError extends SneakpipeError {
  override readonly name: string = 'LoadSplitError';
  override readonly code = 'POSITION_CONFLICT';
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly at?: number,
  ) {
    super(
      'POSITION_CONFLICT',
      at === undefined
        ? `${topic}/${partition}: the load is too large for one request; load it in two halves`
        : `${topic}/${partition}: a table already holds the records below ${at}; load in two parts`,
      { retriable: true },
    );
  }
}

/**
 * A warehouse, generic: it creates the tables it is given plus
 * {@link LOAD_POSITIONS}, appends rows and advances positions in one
 * transaction, loads keyed reference data, and answers SQL.
 *
 * Exactly-once comes from positions, not keys: a load appends rows (no
 * statement of a load reads the target tables, so its cost does not grow with
 * them) and advances the positions it covers only if they are still what the
 * writer expected; a writer that resumes from the stored positions and drops
 * what lies below them loads every record once. See `positionedSink`.
 *
 * Lifecycle: opened by its connector's `open(config)`, written with `append`,
 * then `close` (see {@link ConnectorDescriptor}).
 */
export interface Warehouse {
  /** Creates (or migrates) the database objects. Idempotent. */
  init(): Promise<void>;
  /**
   * Appends the rows and advances the positions in one transaction. Rejects
   * with {@link PositionConflictError}, having written nothing, when a stored
   * position is not the one expected. (Snowflake first stages the rows in
   * session-private temporary tables, outside the transaction — DDL commits
   * implicitly there — then appends them and advances the positions in one
   * explicit transaction; DuckDB does it all in one.)
   */
  append(load: WarehouseLoad): Promise<void>;
  /**
   * The stored next offset of each partition of `topic` for `group`
   * (partitions never loaded are absent). `partitions` says which are wanted:
   * a warehouse that keeps positions per partition under names it cannot
   * list (Snowpipe Streaming's channels) needs them; the others read all.
   */
  positions(group: string, topic: string, partitions?: readonly number[]): Promise<ReadonlyMap<number, number>>;
  /**
   * Takes the writing of these partitions over from any earlier writer, which
   * can then commit nothing more (Snowpipe Streaming reopens the partitions'
   * channels, which fences the previous owner). Called when partitions are
   * assigned, before their positions are read. Optional: warehouses whose
   * loads compare and set their positions need no claim.
   */
  claim?(group: string, topic: string, partitions: readonly number[]): Promise<void>;
  /**
   * Each `append` with positions covers one partition: `positionedSink`
   * splits its batches by partition. Set by warehouses whose positions are
   * kept per partition apart from one another (Snowpipe Streaming's channels).
   */
  readonly loadsByPartition?: boolean;
  /**
   * Loads rows into a keyed table (batch reference data): inserts those whose
   * primary key is absent; rows whose key exists are left as they are, never
   * updated, so loading the same rows again changes nothing.
   */
  insertIfAbsent(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void>;
  /**
   * Adds to `table` the columns it lacks, nullable (rows already there read
   * NULL; nothing rewrites them), in a way two writers adding the same column
   * at once both succeed (`ADD COLUMN IF NOT EXISTS`); then returns the table
   * as the warehouse has it: `table`'s columns, then every other column the
   * stored table has, in its order, with the logical type its SQL type stands
   * for (a column whose type none stands for, changed by hand say, is left
   * out: loads leave it NULL). With no columns it only reads. Rejects with
   * `OBJECT_NOT_FOUND` when the table does not exist.
   *
   * Optional: schema evolution (`schemaEvolution`) needs it; DuckDB and
   * Snowflake have it.
   */
  addColumns?(table: TableSpec, columns: readonly ColumnSpec[]): Promise<TableSpec>;
  /** The fully qualified, quoted name of a table, e.g. `"SHOP"."STG"."ORDERS"`, for queries. */
  table(name: string): string;
  /** Runs a read-only query with positional parameters (`?` placeholders). */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}
