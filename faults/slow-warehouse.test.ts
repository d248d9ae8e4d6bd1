import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowControl, loadPipeline, type Decoded, type Sink } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, orderEventCodec, orderEventSink, type ReceivedOrderEvent } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { lastValueFrom, tap } from 'rxjs';
import { expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { report } from '../test-support/faults.js';
import { kafkaBootstrap, uniqueTopic } from '../test-support/kafka.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it.each(KAFKA_CLIENTS)(
  'slow warehouse with the %s client: a sink taking 1.5 s per batch sets the pace, and memory stays flat',
  async (client) => {
    const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-slow-'));
    const topic = uniqueTopic('slow');
    const produced = await runCli(['produce', '--count', '60000', '--seed', '8'], {
      KAFKA_BOOTSTRAP: kafkaBootstrap(),
      KAFKA_TOPIC_NAME: topic,
    });
    expect(produced.code, produced.stderr).toBe(0);
    const warehouse = await DuckDbWarehouse.open({ path: join(dir, 'w.duckdb'), tables: WAREHOUSE_TABLES });
    const exactlyOnce = orderEventSink({ warehouse, group: `g-${topic}` });
    const slow: Sink<Decoded<ReceivedOrderEvent>> = { write: async (batch) => (await sleep(1_500), exactlyOnce.write(batch)) };
    const flow = new FlowControl({ highWater: 4_000 });
    const kafka = await openKafkaClient(client, { brokers: [kafkaBootstrap()] });
    const source = kafka.source({
      topic,
      groupId: `g-${topic}`,
      paused: flow.paused$,
    });
    const rss: number[] = [];
    const inFlight: number[] = [];
    const sampler = setInterval(() => (rss.push(process.memoryUsage().rss), inFlight.push(flow.inFlight)), 1_000);
    let loaded = 0;
    let firstLoadAt = 0;
    try {
      const run = lastValueFrom(
        loadPipeline({ source, codec: orderEventCodec, sink: slow, flow, batch: { maxCount: 1_000, maxWaitMs: 500 } }).pipe(
          tap((b) => {
            firstLoadAt ||= Date.now();
            loaded += b.items.length;
          }),
        ),
        { defaultValue: undefined },
      );
      await sleep(25_000);
      await source.stop();
      await run;
      await source.close();
      clearInterval(sampler);
      const seconds = (Date.now() - firstLoadAt) / 1000;
      const pace = 1_000 / 1.5;
      const rate = loaded / seconds;
      // Throughput is the sink's pace (one 1,000-record batch per 1.5 s), not the topic's.
      expect(rate).toBeGreaterThan(pace * 0.7);
      expect(rate).toBeLessThan(pace * 1.2);
      expect(Math.max(...inFlight)).toBeLessThanOrEqual(4_000 + 1_000);
      // Flat memory: the second half of the run holds no more than the first half plus a margin.
      const half = Math.floor(rss.length / 2);
      const firstHalf = Math.max(...rss.slice(2, half));
      const secondHalf = Math.max(...rss.slice(half));
      expect(secondHalf - firstHalf).toBeLessThan(40 * 2 ** 20);
      // Counted, not assumed: every offset below each partition's stored position is in the table once, and nothing else.
      const stored = await warehouse.positions(`g-${topic}`, topic);
      const [counts] = await warehouse.query(
        `SELECT COUNT(*) AS N, COUNT(DISTINCT EVENT_ID) AS D, COUNT(DISTINCT (KAFKA_PARTITION, KAFKA_OFFSET)) AS P FROM ${warehouse.table('STREAMING_ORDERS')}`,
      );
      const expected = [...stored.values()].reduce((a, b) => a + b, 0);
      const lost = expected - Number(counts!.P);
      const duplicated = Number(counts!.N) - Number(counts!.D);
      expect(expected).toBe(loaded);
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
      console.log(
        `slow warehouse: ${loaded} loaded in ${seconds.toFixed(1)} s = ${rate.toFixed(0)}/s (sink pace ${pace.toFixed(0)}/s); RSS ${rss.map((r) => Math.round(r / 2 ** 20)).join(' ')} MB; max in flight ${Math.max(...inFlight)}`,
      );
      report({
        case: `slow warehouse (1.5 s/batch; ${client})`,
        events: loaded,
        faults: 'sink 1.5 s per 1,000-record batch',
        lost,
        duplicated,
        peakRssMb: Math.round(Math.max(...rss) / 2 ** 20),
        recoverSeconds: 'n/a',
      });
    } finally {
      clearInterval(sampler);
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
