/**
 * Example: your own events — page views into DuckDB exactly once, the invalid ones beside them with their
 * reason, using only `@sneakpipe/core` and `@sneakpipe/connectors` (docs/own-events.md walks through it):
 *
 *   node examples/own-events.ts --events 200000 --warehouse ./data/page-views.duckdb [--brokers 127.0.0.1:9092 [--topic page-views]]
 *
 * It publishes the views (1 % invalid) to a topic of the in-process broker, or of Kafka with `--brokers`,
 * then consumes them into `PAGE_VIEWS` and `PAGE_VIEW_REJECTS`: rows and positions in one transaction per batch.
 */
import { parseArgs } from 'node:util';
import { FlowControl, InMemoryBroker, batch, column, consume, deadLetterTable, defineTable } from '@sneakpipe/core';
import { fromIterable, jsonCodec, load, serialize, tableSink, type StoppableSource } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { openKafkaClient, parseBrokers } from '@sneakpipe/connectors/kafka';
import { lastValueFrom, tap } from 'rxjs';
import { z } from 'zod';

// #region tables
const PageView = z.object({
  user_id: z.string().min(1),
  url: z.string().startsWith('/'),
  ts: z.number().int(),
  duration_ms: z.number().int().nonnegative(),
});
type PageView = z.infer<typeof PageView>;

const PAGE_VIEWS = defineTable({
  name: 'PAGE_VIEWS',
  description: 'One row per page view.',
  columns: [
    column('USER_ID', 'text'),
    column('URL', 'text'),
    column('VIEWED_AT', 'timestamp'),
    column('DURATION_MS', 'integer'),
    column('LOADED_AT', 'timestamp', { default: 'now' }), // filled by the warehouse, in UTC
  ],
});
const PAGE_VIEW_REJECTS = deadLetterTable('PAGE_VIEW_REJECTS');
// #endregion

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    warehouse: { type: 'string', default: 'page-views.duckdb' },
    brokers: { type: 'string' },
    topic: { type: 'string', default: 'page-views' },
  },
});
const [topic, group] = [args.topic, `${args.topic}-loader`];

/** The same page views on every run (from the `from`-th on); one in 100 has a negative duration. */
function* pageViews(count: number, from = 0): Generator<PageView> {
  for (let i = from; i < count; i++) {
    const duration_ms = i % 100 === 42 ? -1 : (i * 37) % 60_000;
    yield { user_id: `u${i % 997}`, url: `/products/${i % 50}`, ts: Date.UTC(2026, 0, 1) + i * 1_000, duration_ms };
  }
}

// #region sink
const warehouse = await DuckDbWarehouse.open({ path: args.warehouse }, { tables: [PAGE_VIEWS, PAGE_VIEW_REJECTS] });
const sink = tableSink({
  warehouse,
  group,
  table: PAGE_VIEWS,
  deadLetters: PAGE_VIEW_REJECTS,
  row: (view: PageView) => ({ USER_ID: view.user_id, URL: view.url, VIEWED_AT: view.ts, DURATION_MS: view.duration_ms }),
});
// #endregion

// The stream: Kafka, or the in-process broker (same semantics, no infrastructure). Consuming pauses above 40,000 in flight.
const flow = new FlowControl({ highWater: 40_000 });
const kafka = args.brokers ? await openKafkaClient('platformatic', { brokers: parseBrokers(args.brokers) }) : undefined;
const broker = new InMemoryBroker();
broker.createTopic(topic, 3);
await kafka?.ensureTopic({ topic, partitions: 3, replicationFactor: 1 });
const producer = kafka ? await kafka.topicSink({ topic }) : broker.producer(topic);
const resumeFrom = (partitions: readonly number[]) => sink.resume(topic, partitions);
const source: StoppableSource = kafka
  ? kafka.source({ topic, groupId: group, paused: flow.paused$, resumeFrom })
  : broker.consumer({ groupId: group, topic, paused: flow.paused$ });

// #region produce
// The generator is pulled only while fewer than 20,000 views wait for the broker: memory stays flat.
// (A Kafka topic outlives the run: publish only what it does not hold yet, so a rerun adds nothing.)
const held = kafka ? (await kafka.consumerLag(group, topic)).reduce((n, p) => n + p.endOffset, 0) : 0;
const publishing = new FlowControl({ highWater: 20_000 });
await lastValueFrom(
  fromIterable(pageViews(Number(args.events), held), { paused: publishing.paused$ }).pipe(
    tap(() => publishing.acquire()),
    serialize(jsonCodec(PageView), { key: (view) => view.user_id }),
    batch({ maxCount: 5_000, maxWaitMs: 50 }),
    load(producer),
    tap((sent) => publishing.release(sent.items.length)),
  ),
  { defaultValue: undefined },
);
// #endregion

// #region consume
if (!kafka) await source.stop(); // the in-process topic is complete: consume it to its end
const lagZero = async () => (await kafka!.consumerLag(group, topic)).every((p) => p.lag === 0);
const summary = await consume({ source, codec: jsonCodec(PageView), sink, flow, exitWhenIdleMs: 3_000, drained: kafka && lagZero });
console.log(`${summary.loaded} page views loaded, ${summary.deadLetters} rejected, ${summary.skipped} already loaded`);
// #endregion
await source.close();
await (producer as { close?: () => Promise<void> }).close?.();
await warehouse.close();
