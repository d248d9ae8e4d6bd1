import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Decoded } from '../contracts/records.js';
import type { LoadedBatch } from '../operators/load.js';
import type { ConsumeObserver } from '../pipelines/consume.js';
import { outcomeOf } from '../contracts/record-outcome.js';

/** Options of {@link PipelineMetrics}. */
export interface PipelineMetricsOptions {
  /** The metric names' prefix, e.g. `pageviews` gives `pageviews_records_loaded_total`. Letters, digits and `_`. */
  prefix: string;
  /** Where the metrics register. Default: a registry of their own. */
  registry?: Registry;
  /** Also collect Node's process metrics (CPU, memory, event loop). Default `true`. */
  defaultMetrics?: boolean;
}

/**
 * A consumer's metrics under a prefix of the application's: records
 * consumed, loaded, dead letters, skipped (already loaded), load retries,
 * load duration and batch size. Pass it as `consume({ metrics })`, and serve
 * `registry.metrics()` at `/metrics`.
 *
 * @example
 * ```ts
 * import { PipelineMetrics } from '@sneakpipe/core/metrics';
 *
 * const metrics = new PipelineMetrics({ prefix: 'pageviews' });
 * // consume({ source, codec, sink, metrics }); then serve: await metrics.registry.metrics()
 * ```
 */
export class PipelineMetrics implements ConsumeObserver<unknown> {
  readonly registry: Registry;
  readonly recordsConsumed: Counter;
  readonly recordsLoaded: Counter;
  readonly deadLetters: Counter;
  readonly recordsSkipped: Counter;
  readonly loadRetries: Counter;
  readonly loadDuration: Histogram;
  readonly batchSize: Histogram;
  private consumedSinceScrape = 0;

  constructor(options: PipelineMetricsOptions) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(options.prefix))
      throw new RangeError(`PipelineMetrics: prefix must be letters, digits and _, got ${JSON.stringify(options.prefix)}`);
    const p = options.prefix;
    this.registry = options.registry ?? new Registry();
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const counter = (name: string, help: string) => new Counter({ name: `${p}_${name}`, help, registers });
    // Counted in a number per record and added when scraped: a prom-client call per record costs more than the rest.
    this.recordsConsumed = new Counter({
      name: `${p}_records_consumed_total`,
      help: 'Records read from the source and decoded, valid or not.',
      registers,
      collect: () => {
        this.recordsConsumed.inc(this.consumedSinceScrape);
        this.consumedSinceScrape = 0;
      },
    });
    this.recordsLoaded = counter('records_loaded_total', 'Valid records durably loaded into the warehouse.');
    this.deadLetters = counter('dead_letters_total', 'Records stored as dead letters (not decodable, or refused by their table).');
    this.recordsSkipped = counter('records_skipped_total', 'Records handed out again that the warehouse already had: not loaded twice.');
    this.loadRetries = counter('load_retries_total', 'Failed load attempts (each is retried, and logged).');
    this.loadDuration = new Histogram({
      name: `${p}_load_duration_seconds`,
      help: 'Time to load one batch, retries included.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.batchSize = new Histogram({
      name: `${p}_batch_records`,
      help: 'Records per loaded batch.',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 25000, 50000],
      registers,
    });
  }

  readonly consumed = (): void => {
    this.consumedSinceScrape++;
  };

  readonly loaded = (loaded: LoadedBatch<Decoded<unknown>>): void => {
    let valid = 0;
    let dead = 0;
    let skipped = 0;
    for (const item of loaded.items) {
      const outcome = outcomeOf(item);
      if (outcome === 'loaded') valid++;
      else if (outcome === 'dead-letter') dead++;
      else skipped++;
    }
    this.recordsLoaded.inc(valid);
    this.deadLetters.inc(dead);
    this.recordsSkipped.inc(skipped);
    this.loadDuration.observe(loaded.durationMs / 1000);
    this.batchSize.observe(loaded.items.length);
  };

  readonly retried = (): void => this.loadRetries.inc();
}
