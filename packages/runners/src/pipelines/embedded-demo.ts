import {
  FlowControl,
  InMemoryBroker,
  batch,
  deserialize,
  generate,
  load,
  nextOffsets,
  orderEventCodec,
  serialize,
  type RetryOptions,
} from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { concatMap, lastValueFrom, tap } from 'rxjs';
import { countRows, topBrandsByRevenue, type BrandRevenue } from '../queries.js';

/** Options of {@link runEmbeddedDemo}. */
export interface EmbeddedDemoOptions {
  /** Events to generate. */
  events: number;
  /** Events per second; undefined = as fast as possible. */
  rate?: number | undefined;
  seed: number;
  /** DuckDB file. */
  warehousePath: string;
  topic?: string;
  partitions?: number;
  /** Consumer batch bounds. */
  batchMaxCount?: number;
  batchMaxWaitMs?: number;
  batchMaxBytes?: number;
  /** Most events published but not yet loaded; the generator pauses above it. Default 2 × batchMaxCount. */
  maxInFlight?: number;
  retry?: RetryOptions;
  /** Called after each loaded batch with the running totals. */
  onProgress?: (progress: { loaded: number; deadLetters: number; produced: number }) => void;
}

/** What {@link runEmbeddedDemo} did. */
export interface EmbeddedDemoSummary {
  readonly produced: number;
  readonly loaded: number;
  readonly deadLetters: number;
  readonly batches: number;
  readonly rowsInWarehouse: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakInFlight: number;
  /** Peak resident memory of the process so far, bytes. */
  readonly peakRssBytes: number;
  readonly topBrands: readonly BrandRevenue[];
}

/**
 * The whole pipeline in one process, with no infrastructure: generate →
 * serialize → in-process broker (3 partitions, keyed by order) → deserialize →
 * batch → load into DuckDB → commit offsets. The broker stands in for Kafka
 * with the same semantics, and backpressure keeps memory bounded: the
 * generator pauses while `maxInFlight` events are published but not loaded.
 */
export async function runEmbeddedDemo(options: EmbeddedDemoOptions): Promise<EmbeddedDemoSummary> {
  const topic = options.topic ?? 'sneaker-orders';
  const broker = new InMemoryBroker();
  broker.createTopic(topic, options.partitions ?? 3);
  const warehouse = await DuckDbWarehouse.open({ path: options.warehousePath });
  const batchMaxCount = options.batchMaxCount ?? 20_000;
  // Enough in flight to fill the next batch while one loads; more only costs memory.
  const flow = new FlowControl({ highWater: options.maxInFlight ?? 2 * batchMaxCount });
  const consumer = broker.consumer({ groupId: 'sneakpipe-demo', topic });
  let produced = 0;
  let loaded = 0;
  let deadLetters = 0;
  let batches = 0;
  const started = performance.now();

  try {
    const consuming = lastValueFrom(
      consumer.records().pipe(
        deserialize(orderEventCodec),
        batch({
          maxCount: batchMaxCount,
          maxWaitMs: options.batchMaxWaitMs ?? 1_000,
          maxBytes: options.batchMaxBytes ?? 16 * 1024 * 1024,
        }),
        load(warehouse, options.retry ? { retry: options.retry } : {}),
        concatMap(async (done) => {
          await consumer.commit(nextOffsets(done.items));
          for (const item of done.items) item.ok ? loaded++ : deadLetters++;
          batches++;
          flow.release(done.items.length);
          options.onProgress?.({ loaded, deadLetters, produced });
        }),
      ),
      { defaultValue: undefined },
    );

    await lastValueFrom(
      generate({ count: options.events, rate: options.rate, seed: options.seed, paused: flow.paused$ }).pipe(
        serialize(orderEventCodec, { key: (e) => String(e.order_id) }),
        batch({ maxCount: 2_000, maxWaitMs: 20 }),
        load(broker.producer(topic)),
        tap((sent) => {
          produced += sent.items.length;
          flow.acquire(sent.items.length);
        }),
      ),
      { defaultValue: undefined },
    );
    consumer.finish();
    await consuming;
    await consumer.close();

    const seconds = (performance.now() - started) / 1000;
    return {
      produced,
      loaded,
      deadLetters,
      batches,
      rowsInWarehouse: await countRows(warehouse, 'STREAMING_ORDERS'),
      seconds,
      eventsPerSecond: loaded / seconds,
      peakInFlight: flow.peakInFlight,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      topBrands: await topBrandsByRevenue(warehouse),
    };
  } finally {
    await warehouse.close();
  }
}
