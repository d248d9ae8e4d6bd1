import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_BATCH, FlowControl, InMemoryBroker, type Decoded, type Logger, type Sink, type Warehouse } from '@sneakpipe/core';
import type { ReceivedOrderEvent } from '../domain/order-event.js';
import { orderEventSink } from '../domain/order-event-sink.js';
import { countRows, topBrandsByRevenue, type BrandRevenue } from '../queries.js';
import { runConsumer } from './consume.js';
import { runProducer } from './produce.js';
import { unpackRecords, type FromProducerWorker, type ProducerWorkerData, type ToProducerWorker } from './producer-worker.js';

/**
 * The entry of the producer's thread. Built, it is the .js file next to this one. Run from the TypeScript sources (the
 * repository's tests), it is the package's build of it: a worker thread loads modules with Node's own loader, which
 * resolves neither the sources' `.js` imports to `.ts` files nor `@sneakpipe/core` to its sources, so the sources'
 * entry cannot run there, and the tests (`npm test` builds first) would otherwise take a path users never take.
 */
const PRODUCER_WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/pipelines/producer-worker.js', import.meta.url)
  : new URL('./producer-worker.js', import.meta.url);
// Without it (a bundle that left it out, sources never built), the producer stays on the main thread: see `producerOnOwnThread`.
const producerWorkerBuilt = existsSync(fileURLToPath(PRODUCER_WORKER));

/**
 * The demo's batch size: twice core's default. The demo is one batch run that
 * measures throughput: fewer, larger loads make each event cheaper to commit,
 * for more memory held in flight (docs/benchmarks.md).
 */
export const DEMO_BATCH_COUNT = 2 * DEFAULT_BATCH.maxCount;

/** Options of {@link runEmbeddedDemo}. */
export interface EmbeddedDemoOptions {
  /** Events to generate. */
  events: number;
  /** Events per second; undefined = as fast as possible. */
  rate?: number | undefined;
  seed: number;
  /**
   * Where the events are loaded: any warehouse with the shop's tables
   * (`WAREHOUSE_TABLES`), e.g. a `DuckDbWarehouse` file. The caller opens and
   * closes it, so this package loads no warehouse driver.
   */
  warehouse: Warehouse;
  topic?: string;
  partitions?: number;
  /** Consumer batch bounds. Default {@link DEMO_BATCH_COUNT}. */
  batchMaxCount?: number;
  batchMaxWaitMs?: number;
  /** Most events published but not yet loaded; the generator pauses above it. Default 2 × batchMaxCount. */
  maxInFlight?: number;
  /** Where load retries are logged. Default core's `consoleLogger`. */
  logger?: Logger;
  /** Called after each loaded batch with the running totals. */
  onProgress?: (progress: { loaded: number; deadLetters: number }) => void;
  /**
   * Generate and encode on a worker thread (the second core) while the main
   * thread decodes and loads. Default: yes when its entry script
   * (`producer-worker.js`) is there, as in every build. `true` never falls
   * back: the run fails if the entry is missing.
   */
  producerThread?: boolean;
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
  /** Peak resident memory of the process so far, bytes. */
  readonly peakRssBytes: number;
  readonly topBrands: readonly BrandRevenue[];
  /** Records the warehouse already had (a re-run with the same seed), not loaded again. */
  readonly skipped: number;
  /** Whether the events were generated on a thread of their own (see `producerThread`). */
  readonly producerOnOwnThread: boolean;
}

/** What {@link runEmbeddedPipeline} did. */
export interface EmbeddedPipelineSummary {
  readonly produced: number;
  /** Valid events this run wrote. */
  readonly loaded: number;
  readonly deadLetters: number;
  /** Records the sink already had (a positioned sink's replays), not written again. */
  readonly skipped: number;
  readonly batches: number;
  readonly seconds: number;
  /** Whether the events were generated on a thread of their own (see `producerThread`). */
  readonly producerOnOwnThread: boolean;
}

/**
 * The demo's pipeline into any sink: the same producer and consumer pipelines
 * as `sneakpipe produce` / `consume`, with the in-process broker (3
 * partitions, keyed by order, Kafka's semantics) in place of Kafka.
 * Backpressure keeps memory bounded: the generator pauses while `maxInFlight`
 * events are published but not loaded. The benchmarks run it into a no-op sink.
 */
export async function runEmbeddedPipeline(
  options: Omit<EmbeddedDemoOptions, 'warehouse'> & { sink: Sink<Decoded<ReceivedOrderEvent>> },
): Promise<EmbeddedPipelineSummary> {
  const topic = options.topic ?? 'sneaker-orders';
  const batchMaxCount = options.batchMaxCount ?? DEMO_BATCH_COUNT;
  const broker = new InMemoryBroker();
  broker.createTopic(topic, options.partitions ?? 3);
  // Published but not yet loaded: enough to fill the next batch while one loads.
  const backlog = new FlowControl({ highWater: options.maxInFlight ?? 2 * batchMaxCount });
  const consumer = broker.consumer({ groupId: 'sneakpipe-demo', topic });
  const started = performance.now();
  let progress = { loaded: 0, deadLetters: 0 };
  const consuming = runConsumer({
    source: consumer,
    sink: options.sink,
    batch: { maxCount: batchMaxCount, maxWaitMs: options.batchMaxWaitMs ?? DEFAULT_BATCH.maxWaitMs, maxBytes: 16 * 1024 * 1024 },
    ...(options.logger ? { logger: options.logger } : {}),
    progressEveryMs: 0,
    onBatch: (batch) => {
      backlog.release(batch.items.length);
      const dead = batch.items.reduce((n, item) => n + (item.ok ? 0 : 1), 0);
      progress = { loaded: progress.loaded + batch.items.length - dead, deadLetters: progress.deadLetters + dead };
      options.onProgress?.(progress);
    },
  });
  const producerOnOwnThread = options.producerThread ?? producerWorkerBuilt;
  const producing = producerOnOwnThread
    ? produceOnWorker({ count: options.events, rate: options.rate, seed: options.seed }, broker, topic, backlog)
    : runProducer({
        sink: broker.producer(topic),
        count: options.events,
        rate: options.rate,
        seed: options.seed,
        maxInFlight: Number.MAX_SAFE_INTEGER,
        paused$: backlog.paused$,
        onBatch: (sent) => backlog.acquire(sent.items.length),
      });
  const produced = await producing.catch(async (error: unknown) => {
    await consumer.stop();
    await consuming.catch(() => undefined);
    throw error;
  });
  await consumer.stop();
  const summary = await consuming;
  await consumer.close();
  const seconds = (performance.now() - started) / 1000;
  const { loaded, deadLetters, skipped, batches } = summary;
  return { produced, loaded, deadLetters, skipped, batches, seconds, producerOnOwnThread };
}

/**
 * `runProducer` on a worker thread, publishing into the broker on this one:
 * each batch arrives as one buffer, is appended to the topic and counted in
 * the backlog, then acknowledged; the backlog's pauses are forwarded.
 */
function produceOnWorker(data: ProducerWorkerData, broker: InMemoryBroker, topic: string, backlog: FlowControl): Promise<number> {
  const worker = new Worker(PRODUCER_WORKER, { workerData: { sneakpipeProducer: data } });
  const tell = (message: ToProducerWorker) => worker.postMessage(message);
  const pauses = backlog.paused$.subscribe((value) => tell({ type: 'paused', value }));
  return new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromProducerWorker) => {
      if (message.type === 'batch') {
        broker.send(topic, unpackRecords(message.data, message.ends));
        backlog.acquire(message.ends.length / 2);
        tell({ type: 'ack', id: message.id });
      } else if (message.type === 'done') resolve(message.produced);
      else reject(Object.assign(new Error(message.message), { stack: message.stack }));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the producer thread exited (code ${code}) before it was done`)));
  }).finally(() => {
    pauses.unsubscribe();
    void worker.terminate();
  });
}

/**
 * The whole pipeline in one process, with no infrastructure but the given
 * warehouse (`sneakpipe demo` gives it a DuckDB file): {@link runEmbeddedPipeline}
 * into it (exactly-once by positions, like the consumer), then a summary read
 * back from it. The warehouse stays open.
 */
export async function runEmbeddedDemo(options: EmbeddedDemoOptions): Promise<EmbeddedDemoSummary> {
  const { warehouse } = options;
  // The in-process stream is the same for the same seed: its positions are kept per seed, so a re-run adds nothing.
  const sink = orderEventSink({ warehouse, group: `sneakpipe-demo-seed-${options.seed}` });
  const run = await runEmbeddedPipeline({ ...options, sink });
  return {
    produced: run.produced,
    loaded: run.loaded,
    deadLetters: run.deadLetters,
    batches: run.batches,
    rowsInWarehouse: await countRows(warehouse, 'STREAMING_ORDERS'),
    seconds: run.seconds,
    eventsPerSecond: (run.loaded + run.deadLetters + run.skipped) / run.seconds,
    skipped: run.skipped,
    producerOnOwnThread: run.producerOnOwnThread,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    topBrands: await topBrandsByRevenue(warehouse),
  };
}
