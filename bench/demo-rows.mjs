// The demo's STREAMING_ORDERS rows as the DuckDB warehouse encodes and appends them, for the benchmarks that feed
// DuckDB directly (duckdb-append.mjs, columnar-ceiling-worker.mjs).
import { ColumnChunkWriter, encodeColumns } from '@sneakpipe/connectors/duckdb';
import { loadedColumns } from '@sneakpipe/core';
import { STREAMING_ORDERS, orderEventTables } from '@sneakpipe/sneakers';

const TYPES = loadedColumns(STREAMING_ORDERS).map((c) => c.type);

/**
 * The next `count` events of `generator` as encoded STREAMING_ORDERS columns, spread over three partitions by order;
 * `next` holds each partition's next offset and is advanced.
 */
export function encodedDemoRows(generator, next, count, topic) {
  const decoded = Array.from({ length: count }, () => {
    const value = generator.draw();
    const partition = value.order_id % 3;
    return { ok: true, value, sizeBytes: 0, position: { topic, partition, offset: next[partition]++ } };
  });
  // The rows the shop's sink appends (all valid here: no dead letters).
  const { rows } = orderEventTables(decoded).find((t) => t.table === STREAMING_ORDERS);
  return encodeColumns(TYPES, rows);
}

/** A chunk writer for STREAMING_ORDERS as the engine's direct appends use it (the load time a constant column). */
export const streamingOrdersWriter = () =>
  new ColumnChunkWriter(STREAMING_ORDERS.columns.map((c) => ({ type: c.type, constant: c.default === 'now' })));
