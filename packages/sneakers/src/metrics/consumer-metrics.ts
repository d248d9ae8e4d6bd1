import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { outcomeOf, type AddedColumn, type Decoded, type DeadLetter, type LoadedBatch, type SchemaClash } from '@sneakpipe/core';
import { RateWindow } from '@sneakpipe/core/metrics';
import { eventTimeMs, type ReceivedOrderEvent } from '../domain/order-event.js';
import { orderEventQualityFlags, type QualityFlag } from '../domain/order-event-quality.js';
import { LabelCounts } from './label-counts.js';
import { LATENCY_BUCKETS, type MetricsOptions } from './producer-metrics.js';

/**
 * A dead letter's reason as a short, bounded label value: the part before the
 * first colon (`schema`, `invalid JSON`, `not valid UTF-8`), so that free-text
 * reasons cannot blow up the metric's cardinality.
 */
export function deadLetterCategory(deadLetter: Pick<DeadLetter, 'reason'>): string {
  const head = deadLetter.reason.split(':', 1)[0]!.trim().toLowerCase();
  return (
    head
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, 32) || 'unknown'
  );
}

/** Options of {@link ConsumerMetrics}. */
export interface ConsumerMetricsOptions extends MetricsOptions {
  /**
   * The data-quality check whose flags `sneaker_orders_flagged_total` counts:
   * give the one the sink writes into `QUALITY_FLAGS` (its `qualityFlags`),
   * so the counts match the rows. Default: the default catalog's.
   */
  qualityFlags?: (event: ReceivedOrderEvent) => readonly QualityFlag[];
}

/**
 * The consumer's metrics: the original system's exact names, plus batch size, end-to-end
 * latency, dead letters by reason and lag per partition.
 *
 * `sneaker_orders_loaded_snowflake_total` and
 * `sneaker_snowflake_load_duration_seconds` keep the original system's names whatever the
 * warehouse is (DuckDB, Snowflake, a custom sink): they measure the load into
 * the configured warehouse.
 */
export class ConsumerMetrics {
  readonly registry: Registry;
  readonly ordersConsumed: Counter<'brand'>;
  readonly ordersLoaded: Counter;
  readonly loadDuration: Histogram;
  readonly processingPerMinute: Gauge;
  readonly batchSize: Histogram;
  readonly endToEndLatency: Histogram;
  readonly deadLetters: Counter<'reason'>;
  readonly loadErrors: Counter;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly flagged: Counter<'flag'>;
  readonly skipped: Counter;
  /** Dead letters run through validation again by `dead-letters replay`, by result (`loaded`, `dead`). */
  readonly deadLettersReplayed: Counter<'result'>;
  /** Columns schema evolution added, by table. */
  readonly schemaColumnsAdded: Counter<'table'>;
  /** Values schema evolution kept in EXTRA_FIELDS because no column could hold them, by table and column. */
  readonly schemaClashes: Counter<'table' | 'column'>;
  private readonly window: RateWindow;
  /** Valid records per brand, added to `ordersConsumed` when it is read. */
  private readonly consumedByBrand = new LabelCounts();
  private readonly now: () => number;
  private readonly qualityFlags: (event: ReceivedOrderEvent) => readonly QualityFlag[];

  constructor(options: ConsumerMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    this.qualityFlags = options.qualityFlags ?? orderEventQualityFlags;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.now = options.now ?? Date.now;
    const window = (this.window = new RateWindow(60, this.now));
    this.ordersConsumed = new Counter({
      name: 'sneaker_orders_consumed_total',
      help: 'Valid order events read from the topic, by brand.',
      labelNames: ['brand'],
      registers,
      collect: () => this.consumedByBrand.addTo(this.ordersConsumed),
    });
    this.ordersLoaded = new Counter({
      name: 'sneaker_orders_loaded_snowflake_total',
      help: 'Order events durably loaded into the warehouse (Snowflake, or whichever is configured).',
      registers,
    });
    this.loadDuration = new Histogram({
      name: 'sneaker_snowflake_load_duration_seconds',
      help: 'Time to load one batch into the warehouse (Snowflake, or whichever is configured), retries included.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.processingPerMinute = new Gauge({
      name: 'sneaker_orders_processing_per_minute',
      help: 'Order events loaded over the last 60 seconds.',
      registers,
      collect() {
        this.set(window.total());
      },
    });
    this.batchSize = new Histogram({
      name: 'sneaker_load_batch_size',
      help: 'Records per batch loaded into the warehouse.',
      buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000, 25000, 50000],
      registers,
    });
    this.endToEndLatency = new Histogram({
      name: 'sneaker_end_to_end_latency_seconds',
      help: 'From the event timestamp to the event being durable in the warehouse.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5, 10, 30, 60, 300],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'sneaker_dead_letters_total',
      help: 'Records that failed decoding or validation and went to the dead letters, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.loadErrors = new Counter({
      name: 'sneaker_load_errors_total',
      help: 'Failed warehouse load attempts (each is retried).',
      registers,
    });
    this.flagged = new Counter({
      name: 'sneaker_orders_flagged_total',
      help: 'Order events loaded with something unexpected (unknown brand or model, total other than price × quantity, ...), by flag (QUALITY_FLAGS).',
      labelNames: ['flag'],
      registers,
    });
    this.skipped = new Counter({
      name: 'sneaker_records_skipped_total',
      help: 'Records dropped because the warehouse already had them (below its stored position): replays after a crash, a rebalance or an offset rewind.',
      registers,
    });
    this.deadLettersReplayed = new Counter({
      name: 'sneaker_dead_letters_replayed_total',
      help: "Dead letters replayed through today's validation (sneakpipe dead-letters replay) by this process, by result: loaded (now valid, in STREAMING_ORDERS) or dead (still invalid).",
      labelNames: ['result'],
      registers,
    });
    this.schemaColumnsAdded = new Counter({
      name: 'sneaker_schema_columns_added_total',
      help: 'Columns added to a table by schema evolution (consume --schema-evolution), by table.',
      labelNames: ['table'],
      registers,
    });
    this.schemaClashes = new Counter({
      name: 'sneaker_schema_clashes_total',
      help: 'Values kept in EXTRA_FIELDS by schema evolution because no column could hold them as they are (the row is flagged schema_clash), by table and column ("" for a field that cannot be a column). Counted as rows are made: a load tried again counts again; SCHEMA_CHANGES counts exactly.',
      labelNames: ['table', 'column'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'sneaker_consumer_lag',
      help: 'Records in the partition not yet committed by this consumer group; exported by the member that owns the partition (max by partition, then sum, across members).',
      labelNames: ['topic', 'partition'],
      registers,
    });
  }

  /** Stage `consumed`: every decoded record, valid or dead letter. */
  readonly consumed = (decoded: Decoded<ReceivedOrderEvent>): void => {
    if (decoded.ok) this.consumedByBrand.count(decoded.value.brand);
    else this.deadLetters.labels(deadLetterCategory(decoded)).inc();
  };

  /**
   * Stage `loaded`: a batch durably in the warehouse. What the sink did with
   * each record is core's `outcomeOf`: the records it dropped because the
   * warehouse already had them (`positionedSink`) count as skipped, not loaded.
   */
  readonly loaded = (loaded: LoadedBatch<Decoded<ReceivedOrderEvent>>): void => {
    const now = this.now();
    let valid = 0;
    let skipped = 0;
    for (const item of loaded.items) {
      const outcome = outcomeOf(item);
      if (outcome === 'skipped') skipped++;
      if (outcome !== 'loaded' || !item.ok) continue;
      valid++;
      this.endToEndLatency.observe((now - eventTimeMs(item.value.timestamp)) / 1000);
      for (const flag of this.qualityFlags(item.value)) this.flagged.labels(flag).inc();
    }
    this.ordersLoaded.inc(valid);
    this.skipped.inc(skipped);
    this.loadDuration.observe(loaded.durationMs / 1000);
    this.batchSize.observe(loaded.items.length);
    this.window.add(valid);
  };

  /** `onColumnAdded` and `onClash` of a sink's `schemaEvolution`, counting into these metrics. */
  readonly schemaEvolution = {
    onColumnAdded: (added: AddedColumn): void => this.schemaColumnsAdded.labels(added.table).inc(),
    onClash: (clash: SchemaClash): void => this.schemaClashes.labels(clash.table, clash.column ?? '').inc(clash.rows),
  };

  /** A replayed batch of dead letters (`replayDeadLetters`' per-batch summary). */
  readonly replayedDeadLetters = (batch: { loaded: number; stillDead: number }): void => {
    this.deadLettersReplayed.labels('loaded').inc(batch.loaded);
    this.deadLettersReplayed.labels('dead').inc(batch.stillDead);
  };

  /** Stage `error`: one failed load attempt. */
  readonly error = (): void => {
    this.loadErrors.inc();
  };
}
