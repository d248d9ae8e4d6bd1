/**
 * What the operator commands (`dead-letters`, `status`) ask of a warehouse,
 * as one interface with two implementations: {@link localWarehouseOps} over a
 * warehouse this process opened, and `remoteWarehouseOps` through the process
 * that owns a DuckDB file (DuckDB lets one process open a file, not even a
 * second reader). Every method takes and returns plain JSON, so the remote
 * one is the local one behind an HTTP call.
 */
import {
  EMPTY_SUMMARY,
  countDeadLetters,
  getDeadLetter,
  listDeadLetters,
  replayBatch,
  replayDeadLetters,
  WAREHOUSE_TABLES,
  type DeadLetterCounts,
  type DeadLetterFilter,
  type DeadLetterSummary,
  type ReplaySummary,
} from '@sneakpipe/sneakers';
import { LOAD_POSITIONS, readSchemaReport, toMs, type RecordPosition, type SchemaReport, type Warehouse } from '@sneakpipe/core';
import type { Logger } from '../logger.js';

/** A dead letter as the commands show it: its bytes as base64 (JSON has no bytes). */
export interface DeadLetterView extends DeadLetterSummary {
  readonly rawBase64: string;
  readonly replays: readonly {
    readonly result: 'loaded' | 'dead';
    readonly reason: string | null;
    readonly eventId: string | null;
    readonly at: number;
  }[];
}

/** A partition's stored position in the warehouse and when a load last moved it. */
export interface StoredPosition {
  readonly partition: number;
  readonly nextOffset: number;
  /** When a load last moved it; `null` when the warehouse does not say (Snowpipe Streaming's positions). */
  readonly updatedAt: number | null;
}

/** The operations, JSON in and out. */
export interface WarehouseOps {
  /** Where the warehouse is, for messages (`duckdb:…`, `snowflake:…`, `via pid 123`). */
  describe(): Promise<string>;
  counts(filter: DeadLetterFilter): Promise<DeadLetterCounts>;
  list(filter: DeadLetterFilter, limit: number): Promise<DeadLetterSummary[]>;
  show(id: string): Promise<DeadLetterView | null>;
  replay(filter: DeadLetterFilter, options: { dryRun: boolean; batchSize: number }): Promise<ReplaySummary>;
  /** Replays dead letters given with their bytes (read from a `<topic>.dlq` topic), exactly once like `replay`. */
  replayRecords(records: readonly ReplayRecord[], options: { dryRun: boolean }): Promise<ReplaySummary>;
  positions(group: string, topic: string): Promise<StoredPosition[]>;
  /** What schema evolution did to one of the shop's tables: columns added, and clashes (see `readSchemaReport`). */
  schema(table: string): Promise<SchemaReport>;
}

/** A dead letter to replay, as JSON: its id, bytes as base64 and source position. */
export interface ReplayRecord {
  readonly id: string;
  readonly rawBase64: string;
  readonly position?: RecordPosition;
}

/** The names of {@link WarehouseOps}' methods: what the remote endpoint accepts. */
export const WAREHOUSE_OPS_METHODS = ['describe', 'counts', 'list', 'show', 'replay', 'replayRecords', 'positions', 'schema'] as const;

/** Options of {@link localWarehouseOps}. */
export interface LocalOpsOptions {
  describe: () => string;
  /** After each replay batch, with what it did (for the replay metrics). */
  onReplayed?: (batch: ReplaySummary) => void;
  /** Progress of a replay: dead letters done so far. */
  onReplayProgress?: (done: ReplaySummary) => void;
  /** Before a replay batch is tried again after a passing warehouse error. */
  onReplayRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** `onReplayRetry` that logs each retry as a warning, with the error. */
export const logReplayRetries =
  (log: Logger) =>
  (error: unknown, attempt: number, delayMs: number): void =>
    log.warn({ err: error, attempt, delayMs }, 'replay batch failed in the warehouse; trying it again');

/** {@link WarehouseOps} over a warehouse this process has open. */
export function localWarehouseOps(warehouse: Warehouse, options: LocalOpsOptions): WarehouseOps {
  const retry = options.onReplayRetry ? { retry: { onRetry: options.onReplayRetry } } : {};
  return {
    describe: async () => options.describe(),
    counts: (filter) => countDeadLetters(warehouse, filter),
    list: (filter, limit) => listDeadLetters(warehouse, filter, limit),
    async show(id) {
      const found = await getDeadLetter(warehouse, id);
      if (!found) return null;
      const { raw, ...rest } = found;
      return { ...rest, rawBase64: Buffer.from(raw).toString('base64') };
    },
    async replay(filter, { dryRun, batchSize }) {
      let previous = EMPTY_SUMMARY;
      return replayDeadLetters({
        warehouse,
        ...retry,
        filter,
        dryRun,
        batchSize,
        onBatch: (total) => {
          if (!dryRun)
            options.onReplayed?.({
              considered: total.considered - previous.considered,
              loaded: total.loaded - previous.loaded,
              stillDead: total.stillDead - previous.stillDead,
              conflicts: total.conflicts - previous.conflicts,
            });
          previous = total;
          options.onReplayProgress?.(total);
        },
      });
    },
    async replayRecords(records, { dryRun }) {
      const candidates = records.map((r) => ({
        id: r.id,
        raw: new Uint8Array(Buffer.from(r.rawBase64, 'base64')),
        ...(r.position ? { position: r.position } : {}),
      }));
      const summary = await replayBatch({ warehouse, dryRun, ...retry }, candidates);
      if (!dryRun) options.onReplayed?.(summary);
      options.onReplayProgress?.(summary);
      return summary;
    },
    async positions(group, topic) {
      const rows = await warehouse.query(
        `SELECT "PARTITION", NEXT_OFFSET, UPDATED_AT FROM ${warehouse.table(LOAD_POSITIONS.name)}
         WHERE CONSUMER_GROUP = ? AND TOPIC = ? AND "PARTITION" >= 0 ORDER BY "PARTITION"`,
        [group, topic],
      );
      const updated = new Map(rows.map((r) => [Number(r.PARTITION), { nextOffset: Number(r.NEXT_OFFSET), updatedAt: toMs(r.UPDATED_AT) }]));
      // The warehouse's own reading: on Snowflake it includes what the Snowpipe Streaming method stored.
      const stored = await warehouse.positions(group, topic);
      return [...stored]
        .filter(([partition]) => partition >= 0)
        .sort(([a], [b]) => a - b)
        .map(([partition, nextOffset]) => {
          const row = updated.get(partition);
          return { partition, nextOffset, updatedAt: row?.nextOffset === nextOffset ? row.updatedAt : null };
        });
    },
    schema(table) {
      const spec = WAREHOUSE_TABLES.find((t) => t.name === table.toUpperCase());
      if (!spec) throw new Error(`no table ${table}: expected one of ${WAREHOUSE_TABLES.map((t) => t.name).join(', ')}`);
      return readSchemaReport(warehouse, spec);
    },
  };
}
