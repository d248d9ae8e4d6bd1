import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FlowControl, loadPipeline, type Decoded, type Sink } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, orderEventCodec, orderEventSink, type ReceivedOrderEvent } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { lastValueFrom, tap } from 'rxjs';
import { expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { report } from '@sneakpipe/test-support/faults';
import { waitUntil } from '@sneakpipe/test-support/wait';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** V8's full collection (exposed for this process, as the CLI does for its heap budget): the heap it leaves is what is live. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Loaded records after which the run stops: about 15 writes of the slow sink. */
const TARGET = 15_000;

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
    const warehouse = await DuckDbWarehouse.open({ path: join(dir, 'w.duckdb') }, { tables: WAREHOUSE_TABLES });
    const exactlyOnce = orderEventSink({ warehouse, group: `g-${topic}` });
    const flow = new FlowControl({ highWater: 4_000 });
    let stopping = false;
    let writing = 0;
    let mostAtOnce = 0;
    /**
     * Per write, as it ends: its records, the records in flight then (its own included: they are released once
     * committed), the live heap after a full collection, RSS, and whether the source was still running.
     */
    const writes: { size: number; inFlight: number; liveHeap: number; rss: number; running: boolean }[] = [];
    const slow: Sink<Decoded<ReceivedOrderEvent>> = {
      write: async (batch) => {
        mostAtOnce = Math.max(mostAtOnce, ++writing);
        try {
          await sleep(1_500);
          await exactlyOnce.write(batch);
        } finally {
          writing--;
        }
        collectGarbage();
        const memory = process.memoryUsage();
        writes.push({ size: batch.length, inFlight: flow.inFlight, liveHeap: memory.heapUsed, rss: memory.rss, running: !stopping });
      },
    };
    const kafka = await openKafkaClient(client, { brokers: [kafkaBootstrap()] });
    const source = kafka.source({
      topic,
      groupId: `g-${topic}`,
      paused: flow.paused$,
    });
    let loaded = 0;
    let firstLoadAt = 0;
    let closed = false;
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
      const ended = run.then(() => {
        throw new Error(`the pipeline ended by itself after ${loaded} records`);
      });
      ended.catch(() => undefined);
      await Promise.race([
        ended,
        waitUntil(`${TARGET} records loaded`, () => (loaded >= TARGET ? true : undefined), {
          timeoutMs: 200_000,
          everyMs: 250,
          seen: () => `${loaded} loaded in ${writes.length} writes, ${flow.inFlight} in flight`,
        }),
      ]);
      stopping = true;
      await source.stop();
      await run;
      await source.close();
      closed = true;
      const seconds = (Date.now() - firstLoadAt) / 1000;
      const pace = 1_000 / 1.5;
      // Counted, not assumed: every offset below each partition's stored position is in the table once, and nothing else.
      const stored = await warehouse.positions(`g-${topic}`, topic);
      const [counts] = await warehouse.query(
        `SELECT COUNT(*) AS N, COUNT(DISTINCT EVENT_ID) AS D, COUNT(DISTINCT (KAFKA_PARTITION, KAFKA_OFFSET)) AS P FROM ${warehouse.table('STREAMING_ORDERS')}`,
      );
      const expected = [...stored.values()].reduce((a, b) => a + b, 0);
      const lost = expected - Number(counts!.P);
      const duplicated = Number(counts!.N) - Number(counts!.D);
      const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
      // What was measured, before any assertion on it.
      console.log(
        `slow warehouse: ${loaded} loaded in ${seconds.toFixed(1)} s = ${(loaded / seconds).toFixed(0)}/s (sink pace ${pace.toFixed(0)}/s); ` +
          `live heap per write ${writes.map((w) => mb(w.liveHeap)).join(' ')} MB; RSS ${writes.map((w) => mb(w.rss)).join(' ')} MB; ` +
          `in flight at each write's end ${writes.map((w) => w.inFlight).join(' ')}; most in flight ${flow.peakInFlight}`,
      );
      report({
        case: `slow warehouse (1.5 s/batch; ${client})`,
        events: loaded,
        faults: 'sink 1.5 s per 1,000-record batch',
        lost,
        duplicated,
        peakRssMb: mb(Math.max(...writes.map((w) => w.rss))),
        recoverSeconds: 'n/a',
      });

      // The sink sets the pace: it writes one batch at a time, and whenever it finished one while the source ran, the
      // records of the next were already in the pipeline (it never waited for the topic). Counted, not timed.
      expect(mostAtOnce, 'writes at once').toBe(1);
      const waited = writes.flatMap((w, k) => {
        const next = writes[k + 1];
        return w.running && next && w.inFlight - w.size < next.size
          ? [`write ${k + 2}: ${w.inFlight - w.size} waiting of ${next.size}`]
          : [];
      });
      expect(waited, 'writes whose records were not there when the sink was free').toEqual([]);
      // Backpressure: the source was held back at the high-water mark (plus at most the batch being filled).
      expect(flow.peakInFlight).toBeLessThanOrEqual(4_000 + 1_000);
      // Flat memory: what is live after a full collection grows by no more than a margin from the first half of the
      // run to the second (garbage, which comes and goes with V8's timing, is not counted).
      const half = Math.floor(writes.length / 2);
      const firstHalf = Math.max(...writes.slice(2, half).map((w) => w.liveHeap));
      const secondHalf = Math.max(...writes.slice(half).map((w) => w.liveHeap));
      expect(secondHalf - firstHalf).toBeLessThan(40 * 2 ** 20);
      expect(expected).toBe(loaded);
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
    } finally {
      if (!closed) await source.close().catch(() => undefined);
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
