/**
 * `@sneakpipe/core`: a generic toolkit for streaming ETL on RxJS — the
 * contracts that connectors implement (source, sink, warehouse, codec, tables,
 * positions), the pipeline operators, flow control, an in-process broker,
 * metric primitives, the error model and settings metadata. It knows no business domain: applications build on it.
 * No network I/O, and importing it changes nothing global.
 *
 * @packageDocumentation
 * @module @sneakpipe/core
 */

// The error model: every error a connector maps carries a stable `code` and `retriable`.
export { SneakpipeError, type ErrorCode, type ErrorCodes, type SneakpipeErrorOptions } from './errors/sneakpipe-error.js';
export { ConfigError } from './errors/config-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export { isRetriable, findSneakpipeError } from './errors/is-retriable.js';
export { errorChain, transientNetworkCode } from './errors/network-codes.js';
export { parseConfig } from './errors/parse-config.js';
export { describeError, logRetry } from './errors/describe-error.js';
export { mappingErrors } from './errors/mapping-errors.js';
export { consoleLogger, silentLogger, type Logger } from './logging/logger.js';

// Contracts: what sources, sinks, codecs and warehouses implement.
export { CodecError, type Codec } from './contracts/codec.js';
export type { RecordPosition, SourceRecord, OutgoingRecord, ValidRecord, DeadLetter, Decoded } from './contracts/records.js';
export type { Sink, Source } from './contracts/sink.js';
export {
  LOAD_POSITIONS,
  column,
  defineTable,
  type ColumnOptions,
  loadedColumns,
  primaryKeyColumns,
  type ColumnType,
  type ColumnSpec,
  type TableSpec,
  type TableRows,
  type WarehouseRow,
} from './contracts/tables.js';
export {
  LoadSplitError,
  PositionConflictError,
  type Row,
  type PositionAdvance,
  type PositionConflict,
  type WarehouseLoad,
  type Warehouse,
} from './contracts/warehouse.js';
export type { WarehouseConnector, WarehouseOpenOptions } from './contracts/warehouse-connector.js';
export { timestampParam, toMs } from './contracts/warehouse-values.js';
export { checkRowWidths } from './contracts/row-width.js';
export { nextOffsets } from './contracts/offsets.js';
export { outcomeOf, type RecordOutcome } from './contracts/record-outcome.js';
export { fanOut } from './contracts/fan-out.js';
export { positionedSink, type PositionedSink, type PositionedSinkOptions } from './positions/positioned-sink.js';

// Rows by name, typed from their table; checked, never coerced; refused ones to the dead letters.
export type { RowOf, ValueOf, ColumnValues } from './rows/row-of.js';
export { rowEncoder, RowRejectedError, describeValue, type RowEncoder } from './rows/row-encoder.js';
export { deadLetterTable, deadLetterRow, type DeadLetterTable } from './rows/dead-letter-table.js';
export { tableRows, RowMappingError, type TableRowsOptions } from './rows/table-rows.js';
export { tableSink, type TableSinkOptions } from './rows/table-sink.js';

// Schema evolution: fields that producers add become typed columns; values that do not fit stay in the extras, flagged.
export {
  schemaEvolution,
  sinkSchemaEvolution,
  type SchemaEvolution,
  type SchemaEvolutionOptions,
  type SchemaEvolutionSettings,
  type SinkWarehouse,
  type ExtraFields,
  type AddedColumn,
  type SchemaClash,
} from './evolution/schema-evolution.js';
export { SCHEMA_CHANGES } from './evolution/schema-changes.js';
export { readSchemaReport, type SchemaReport } from './evolution/schema-report.js';
export { inferColumnType, evolvedCell, CLASH } from './evolution/infer-column.js';
export { evolvedColumnName } from './evolution/column-name.js';

// Operators and the pipeline built from them.
export { jsonCodec, type JsonCodecFastPath } from './codec/json-codec.js';
export { serialize, type SerializeOptions, type SerializedRecord } from './operators/serialize.js';
export { deserialize } from './operators/deserialize.js';
export { batch, type BatchOptions } from './operators/batch.js';
export { backoffDelay, type RetryOptions } from './retry/backoff.js';
export { retry, type RetryPolicy } from './retry/retry.js';
export { sleep } from './retry/sleep.js';
export { load, type LoadOptions, type LoadedBatch } from './operators/load.js';
export { instrument, type StageOf, type StageItem } from './operators/instrument.js';
export { FlowControl } from './flow/flow-control.js';
export { DEFAULT_HEAP_BUDGET_MB, HeapBudget, type HeapBudgetOptions } from './flow/heap-budget.js';
export { fromIterable, type FromIterableOptions } from './operators/from-iterable.js';
export { loadPipeline, type LoadPipelineOptions, type CommittedBatch } from './pipelines/load-pipeline.js';
export {
  consume,
  summaryLine,
  DEFAULT_BATCH,
  type ConsumeOptions,
  type ConsumeSummary,
  type ConsumeObserver,
  type StoppableSource,
} from './pipelines/consume.js';

// The in-process broker.
export { InMemoryBroker, InMemoryConsumer, type InMemoryBrokerOptions, type InMemoryConsumerOptions } from './broker/in-memory-broker.js';

// Settings metadata: connectors describe their settings with these.
export {
  setting,
  settingInfoOf,
  describeSettings,
  defaultOf,
  defaultText,
  type SettingInfo,
  type Described,
  type SettingDescriptor,
  type ConnectorDescriptor,
} from './settings/setting.js';
export * as fields from './settings/fields.js';
