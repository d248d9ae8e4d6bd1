import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { silentLogger } from '../logging/logger.js';
import { describe, expect, it } from 'vitest';
import { InMemoryBroker } from '../broker/in-memory-broker.js';
import type { Codec } from '../contracts/codec.js';
import type { Decoded, RecordPosition } from '../contracts/records.js';
import type { Sink, Source } from '../contracts/sink.js';
import { FlowControl } from '../flow/flow-control.js';
import { loadPipeline } from './load-pipeline.js';

const text = new TextEncoder();
const codec: Codec<number> = {
  encode: (n) => text.encode(String(n)),
  decode: (b) => {
    const n = Number(new TextDecoder().decode(b));
    if (!Number.isInteger(n)) throw new Error('not a number');
    return n;
  },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (p: { partition: number; offset: number }) => `${p.partition}:${p.offset}`;

describe('loadPipeline() commits', () => {
  it('only offsets below which every record is durable, and in the end all of them (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          records: fc.array(fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constant(-1)), { minLength: 1, maxLength: 150 }),
          partitions: fc.integer({ min: 1, max: 4 }),
          maxCount: fc.integer({ min: 1, max: 40 }),
          concurrency: fc.integer({ min: 1, max: 4 }),
          delays: fc.array(fc.nat(3), { minLength: 1, maxLength: 10 }),
          failEvery: fc.integer({ min: 2, max: 7 }),
        }),
        async ({ records, partitions, maxCount, concurrency, delays, failEvery }) => {
          const broker = new InMemoryBroker();
          broker.createTopic('t', partitions);
          // -1 is sent as bytes that do not decode: a dead letter, which must be committed too.
          broker.send(
            't',
            records.map((n, i) => ({ key: text.encode(String(i % 7)), value: n < 0 ? text.encode('x') : codec.encode(n) })),
          );
          const durable = new Set<string>();
          let writes = 0;
          const sink: Sink<Decoded<number>> = {
            async write(batch) {
              const n = writes++;
              await sleep(delays[n % delays.length]!);
              if (n % failEvery === 1) throw new Error('transient'); // retried by load()
              for (const item of batch) durable.add(key(item.position!));
            },
          };
          const consumer = broker.consumer({ groupId: 'g', topic: 't' });
          const violations: string[] = [];
          const committed = new Map<number, number>();
          const source: Source = {
            records: () => consumer.records(),
            close: () => consumer.close(),
            async commit(positions: readonly RecordPosition[]) {
              for (const p of positions) {
                for (let o = 0; o < p.offset; o++)
                  if (!durable.has(key({ partition: p.partition, offset: o }))) violations.push(`${p.partition}:${o}<${p.offset}`);
                if (p.offset < (committed.get(p.partition) ?? 0)) violations.push(`went back on ${p.partition}`);
                committed.set(p.partition, p.offset);
              }
              await consumer.commit(positions);
            },
          };
          consumer.finish();
          const flow = new FlowControl({ highWater: 50 });
          await lastValueFrom(
            loadPipeline({
              source,
              codec,
              sink,
              flow,
              batch: { maxCount, maxWaitMs: 2 },
              load: { concurrency, retry: { initialDelayMs: 1 }, logger: silentLogger },
            }),
            { defaultValue: undefined },
          );
          expect(violations).toEqual([]);
          expect(durable.size).toBe(records.length);
          expect(broker.lag('g', 't')).toBe(0);
          expect(flow.inFlight).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
