import { sleep, type OutgoingRecord, type RecordPosition, type SourceRecord } from '@sneakpipe/core';
import { BehaviorSubject, firstValueFrom, take, takeWhile, timeout, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupSourceOptions, KafkaClient, KafkaCompression, KafkaGroupSource } from '../shared/kafka-client.js';

/**
 * Where Java's default partitioner (murmur2 of the key, modulo the partition
 * count) puts these keys on a 3-partition topic: a producer of either client
 * must put them there too, so keyed records of Java, kafkajs and
 * `@platformatic/kafka` producers share partitions.
 */
const JAVA_PARTITION_OF_KEY: Readonly<Record<string, number>> = {
  'order-1': 1,
  'order-2': 0,
  'order-3': 0,
  'order-4': 2,
  'order-5': 2,
  'order-6': 0,
  'order-7': 1,
  'order-8': 2,
};

const KEYS = Object.keys(JAVA_PARTITION_OF_KEY);
const bytes = (text: string) => Buffer.from(text);
const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString());

let counter = 0;
/** A topic (and group) name no other test uses. */
const uniqueName = (what: string) => `contract-${what}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** `count` records cycling over {@link KEYS}, each value naming its index. */
const keyedRecords = (count: number, extra: Partial<OutgoingRecord> = {}): OutgoingRecord[] =>
  Array.from({ length: count }, (_, i) => ({ key: bytes(KEYS[i % KEYS.length]!), value: bytes(`value-${i}`), ...extra }));

/** Polls `read` until `done` holds for its answer; throws with the last answer after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`never got there; last: ${JSON.stringify(value)}`);
    await sleep(200);
    value = await read();
  }
  return value;
}

/** The next record of each partition to read after `records`: Kafka's commit position. */
function positionsAfter(records: readonly SourceRecord[]): RecordPosition[] {
  const next = new Map<string, RecordPosition>();
  for (const r of records) next.set(`${r.topic}/${r.partition}`, { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
  return [...next.values()];
}

/** Offsets per partition, in the order they were handed out. */
function offsetsByPartition(records: readonly SourceRecord[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of records) out.set(r.partition, [...(out.get(r.partition) ?? []), r.offset]);
  return out;
}

/**
 * The real-broker suite every {@link KafkaClient} passes: call it from a test
 * file with a function that opens the client under test on the test broker.
 * Each test uses its own topic and group.
 *
 * It checks what the contract promises: topic creation (idempotent), the
 * round trip of keys, values and headers with their positions, Java's key
 * partitioning, compression, commits and the committed offsets and lag that
 * follow, a new member resuming from them, `resumeFrom`, backpressure with
 * `paused`, `stop()` then commit, one subscriber at a time, and group
 * membership listing.
 *
 * @example
 * ```ts
 * import { kafkajsClient } from '@sneakpipe/connectors/kafka/kafkajs';
 * import { describeKafkaClientContract } from '@sneakpipe/connectors/kafka/testing';
 *
 * describeKafkaClientContract('kafkajs', async () => kafkajsClient({ brokers: [process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092'] }));
 * ```
 */
export function describeKafkaClientContract(name: string, open: () => Promise<KafkaClient>): void {
  describe(`KafkaClient contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      const failures: unknown[] = [];
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => failures.push(error));
      // A source or sink that cannot be closed is the test's failure, not something to hide.
      if (failures.length > 0)
        throw new AggregateError(failures, `closing what the test opened failed: ${failures.map(String).join('; ')}`);
    });

    /** A group source that the test's clean-up closes. */
    const sourceOf = (kafka: KafkaClient, options: GroupSourceOptions): KafkaGroupSource => {
      const source = kafka.source(options);
      cleanups.push(() => source.close());
      return source;
    };

    /** Publishes `records` to `topic` with a sink of its own (created with 3 partitions unless `createTopic: false`). */
    const publish = async (kafka: KafkaClient, topic: string, records: OutgoingRecord[], compression?: KafkaCompression) => {
      const sink = await kafka.topicSink({ topic, partitions: 3, ...(compression ? { compression } : {}) });
      try {
        await sink.write(records);
        expect(sink.healthy).toBe(true);
      } finally {
        await sink.close();
      }
    };

    /** The first `count` records `source` hands out (it is then unsubscribed: nothing more is handed out). */
    const first = (source: KafkaGroupSource, count: number) =>
      firstValueFrom(source.records().pipe(take(count), toArray(), timeout(45_000)));
    /** The records `source` hands out until what it handed out satisfies `done` (it is then unsubscribed). */
    const until = (source: KafkaGroupSource, done: (records: readonly SourceRecord[]) => boolean) => {
      const got: SourceRecord[] = [];
      return firstValueFrom(
        source.records().pipe(
          takeWhile((record) => {
            got.push(record);
            return !done(got);
          }, true),
          toArray(),
          timeout(45_000),
        ),
      );
    };

    it('creates a topic once, even when asked twice at the same time, and lists a new group lag per partition from the earliest offset', async () => {
      const kafka = await open();
      expect(kafka.name).toBe(name);
      const topic = uniqueName('topic');
      await Promise.all([kafka.ensureTopic({ topic, partitions: 3 }), kafka.ensureTopic({ topic, partitions: 3 })]);
      await kafka.ensureTopic({ topic, partitions: 5 });
      expect(await kafka.consumerLag(`g-${topic}`, topic)).toEqual(
        [0, 1, 2].map((partition) => ({ partition, endOffset: 0, committed: 0, lag: 0 })),
      );

      const sink = await kafka.topicSink({ topic, createTopic: false });
      cleanups.push(() => sink.close());
      await sink.write(keyedRecords(16));
      const lag = await kafka.consumerLag(`g-${topic}`, topic);
      // Two records of each key; keys 2, 3, 6 on 0; 1, 7 on 1; 4, 5, 8 on 2.
      expect(lag).toEqual([
        { partition: 0, endOffset: 6, committed: 0, lag: 6 },
        { partition: 1, endOffset: 4, committed: 0, lag: 4 },
        { partition: 2, endOffset: 6, committed: 0, lag: 6 },
      ]);
    });

    it("hands out every record once with its position, key, value, headers and timestamp; keys land on Java's partitions; gzip, lz4 and none", async () => {
      const kafka = await open();
      const topic = uniqueName('round-trip');
      const before = Date.now();
      await publish(kafka, topic, keyedRecords(8, { headers: { 'sneakpipe.test': 'gzip' } }), 'gzip');
      await publish(kafka, topic, keyedRecords(8, { headers: { 'sneakpipe.test': 'lz4' } }), 'lz4');
      await publish(kafka, topic, [...keyedRecords(8), { key: null, value: bytes('no key') }], 'none');

      const source = sourceOf(kafka, { topic, groupId: `g-${topic}` });
      const records = await first(source, 25);
      expect(source.healthy).toBe(true);
      expect(source.partitions).toEqual([0, 1, 2]);

      for (const [partition, offsets] of offsetsByPartition(records)) {
        expect(offsets, `partition ${partition}`).toEqual(offsets.map((_, i) => i));
      }
      for (const r of records) {
        expect(r.topic).toBe(topic);
        expect(r.timestamp).toBeGreaterThanOrEqual(before - 1_000);
        expect(r.timestamp).toBeLessThanOrEqual(Date.now() + 1_000);
        const key = text(r.key);
        if (key !== null) expect(r.partition, key).toBe(JAVA_PARTITION_OF_KEY[key]);
      }
      const seen = records.map((r) => [text(r.key), text(r.value), r.headers?.['sneakpipe.test'] ?? null]);
      const expected = [
        ...keyedRecords(8).map((r) => [text(r.key), text(r.value), 'gzip']),
        ...keyedRecords(8).map((r) => [text(r.key), text(r.value), 'lz4']),
        ...keyedRecords(8).map((r) => [text(r.key), text(r.value), null]),
        [null, 'no key', null],
      ];
      const order = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
      expect(order(seen)).toEqual(order(expected));
      expect(records.filter((r) => r.headers === undefined)).toHaveLength(9);
    });

    it('commits positions; the committed offsets and lag follow; a new member of the group resumes from them', async () => {
      const kafka = await open();
      const topic = uniqueName('commit');
      const groupId = `g-${topic}`;
      await publish(kafka, topic, keyedRecords(16));

      const one = sourceOf(kafka, { topic, groupId });
      const records = await first(one, 16);
      // Everything but partition 0, of which only its first record.
      const positions = positionsAfter(records).map((p) => (p.partition === 0 ? { ...p, offset: 1 } : p));
      await one.commit([...positions, { topic: `not-${topic}`, partition: 0, offset: 5 }]);
      expect(await kafka.consumerLag(groupId, topic)).toEqual([
        { partition: 0, endOffset: 6, committed: 1, lag: 5 },
        { partition: 1, endOffset: 4, committed: 4, lag: 0 },
        { partition: 2, endOffset: 6, committed: 6, lag: 0 },
      ]);
      await one.close();

      const two = sourceOf(kafka, { topic, groupId });
      const rest = await first(two, 5);
      expect(rest.map((r) => [r.partition, r.offset])).toEqual([1, 2, 3, 4, 5].map((offset) => [0, offset]));
      await two.commit(positionsAfter(rest));
      expect((await kafka.consumerLag(groupId, topic)).map((p) => p.lag)).toEqual([0, 0, 0]);
    });

    it('starts assigned partitions where resumeFrom says, even behind the committed offset, commits those positions, and resumes the others from the committed offsets', async () => {
      const kafka = await open();
      const topic = uniqueName('resume-from');
      const groupId = `g-${topic}`;
      await publish(kafka, topic, keyedRecords(16));
      const before = sourceOf(kafka, { topic, groupId });
      const all = await first(before, 16);
      await before.commit(positionsAfter(all).filter((p) => p.partition === 2));
      await before.close();

      const asked: number[][] = [];
      const source = sourceOf(kafka, {
        topic,
        groupId,
        resumeFrom: async (partitions) => {
          asked.push([...partitions]);
          return new Map([[2, 4]]);
        },
      });
      // What lies below a resume position may be handed out too (@platformatic/kafka cannot seek): a positioned sink drops it.
      const records = await until(source, (got) => {
        const offsets = offsetsByPartition(got);
        return offsets.get(0)?.at(-1) === 5 && offsets.get(1)?.at(-1) === 3 && offsets.get(2)?.at(-1) === 5;
      });
      // Asked for every assigned partition (again after a rejoin: @platformatic/kafka rejoins to fetch from behind the committed offset).
      expect([...new Set(asked.flat())].sort()).toEqual([0, 1, 2]);
      const offsets = offsetsByPartition(records);
      expect(offsets.get(0)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(offsets.get(1)).toEqual([0, 1, 2, 3]);
      expect(offsets.get(2)?.filter((offset) => offset >= 4)).toEqual([4, 5]);
      await eventually(
        () => kafka.consumerLag(groupId, topic),
        (lag) => lag[2]?.committed === 4,
      );
    });

    it('hands out nothing more while `paused` is true, and the rest once it turns false', async () => {
      const kafka = await open();
      const topic = uniqueName('paused');
      await publish(kafka, topic, keyedRecords(24));
      const paused = new BehaviorSubject(false);
      const source = sourceOf(kafka, { topic, groupId: `g-${topic}`, paused });
      const received: SourceRecord[] = [];
      const all = new Promise<void>((resolve, reject) => {
        const subscription = source.records().subscribe({
          next: (r) => {
            received.push(r);
            if (received.length === 1) paused.next(true);
            if (received.length === 24) resolve();
          },
          error: reject,
        });
        cleanups.push(async () => subscription.unsubscribe());
      });
      await eventually(
        () => received.length,
        (n) => n > 0,
      );
      await sleep(3_000);
      expect(received).toHaveLength(1);
      paused.next(false);
      await all;
      expect(received).toHaveLength(24);
    });

    it('stop() completes records(), commits still work after it, and close() leaves the group', async () => {
      const kafka = await open();
      const topic = uniqueName('stop');
      const groupId = `g-${topic}`;
      await publish(kafka, topic, keyedRecords(8));
      const source = sourceOf(kafka, { topic, groupId });
      const received: SourceRecord[] = [];
      const completed = new Promise<void>((resolve, reject) => {
        source.records().subscribe({ next: (r) => received.push(r), error: reject, complete: resolve });
      });
      await eventually(
        () => received.length,
        (n) => n === 8,
      );
      await source.stop();
      await completed;
      await source.commit(positionsAfter(received));
      expect((await kafka.consumerLag(groupId, topic)).map((p) => p.lag)).toEqual([0, 0, 0]);
      await eventually(
        () => kafka.groupMembers(groupId, topic),
        (members) => members.length === 1,
      );
      await source.close();
      await eventually(
        () => kafka.groupMembers(groupId, topic),
        (members) => members.length === 0,
      );
    });

    it('has one subscriber of records() at a time, and a source stopped before it is subscribed completes at once', async () => {
      const kafka = await open();
      const topic = uniqueName('once');
      await kafka.ensureTopic({ topic });
      const source = sourceOf(kafka, { topic, groupId: `g-${topic}` });
      const subscription = source.records().subscribe({ error: () => undefined });
      cleanups.push(async () => subscription.unsubscribe());
      await expect(firstValueFrom(source.records())).rejects.toThrow(/already subscribed/);

      const stopped = sourceOf(kafka, { topic, groupId: `g2-${topic}` });
      await stopped.stop();
      await expect(firstValueFrom(stopped.records().pipe(toArray()))).resolves.toEqual([]);
    });

    it('lists the members of a group with the partitions of the topic each owns; an unknown group has none', async () => {
      const kafka = await open();
      const topic = uniqueName('members');
      const groupId = `g-${topic}`;
      await publish(kafka, topic, keyedRecords(1));
      const source = sourceOf(kafka, { topic, groupId });
      await first(source, 1);
      const [member, ...others] = await eventually(
        () => kafka.groupMembers(groupId, topic),
        (members) => members.length === 1 && members[0]!.partitions.length === 3,
      );
      expect(others).toEqual([]);
      expect(member!.clientId).toBe('sneakpipe');
      expect(member!.memberId).toMatch(/^sneakpipe-/);
      expect(member!.host).toMatch(/127\.0\.0\.1/);
      expect(member!.partitions).toEqual([0, 1, 2]);
      expect(await kafka.groupMembers(groupId, `not-${topic}`)).toEqual([{ ...member!, partitions: [] }]);
      expect(await kafka.groupMembers(`no-such-group-${topic}`, topic)).toEqual([]);
    });
  });
}
