import { nextOffsets } from '../contracts/offsets.js';
import type { SourceRecord } from '../contracts/records.js';
import type { Source } from '../contracts/sink.js';
import { BehaviorSubject, firstValueFrom, lastValueFrom, take, tap, timeout, toArray, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';

/** A source that can be told to stop handing out records: what `runConsumer` and `loadPipeline` users stop on SIGTERM. */
export type StoppableSource = Source & { stop(): Promise<void> };

/** How the suite reaches the source under test. */
export interface SourceHarness {
  /**
   * New storage (a topic) holding these records, in this order; records with
   * the same key must land in the same partition, as Kafka's do. Returns what
   * {@link open} needs to find the storage. Values are compact JSON text, so a
   * source of JSON documents can store them as such.
   */
  create(records: readonly { key: string; value: string }[]): Promise<string>;
  /**
   * A source on that storage for a consumer group; a new one of the same group resumes after the group's commits.
   * Sources of other groups may be open on the same storage at the same time.
   */
  open(storage: string, options: { group: string; paused?: Observable<boolean> }): StoppableSource;
}

/** What a pipeline commits after these records: per partition, the offset after the last one (Kafka's convention). */
const positionsAfter = (handedOut: readonly SourceRecord[]) => nextOffsets(handedOut.map((position) => ({ position })));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const records = (count: number) => Array.from({ length: count }, (_, i) => ({ key: `key-${i % 5}`, value: JSON.stringify({ n: i }) }));
let groups = 0;
const newGroup = () => `contract-${process.pid}-${groups++}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `done()` holds; after `ms`, rejects with what `seen()` says. */
async function until(done: () => boolean, ms: number, seen: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${seen()}`);
    await sleep(20);
  }
}

/** The first `count` records a source hands out (fails after `ms` without them). */
const firstRecords = (source: Source, count: number, ms = 10_000) =>
  firstValueFrom(source.records().pipe(take(count), toArray(), timeout(ms)));

/**
 * What any `Source` must do, whatever it reads (Kafka, files, an API): hand out
 * every record with its position, in offset order within a partition; resume a
 * group after what it committed; hold records back while `paused` is `true`
 * (flow control); and complete `records()` after `stop()`, with commits still
 * accepted until `close()` (a clean shutdown commits the last batch).
 */
export function describeSourceContract(name: string, harness: SourceHarness): void {
  describe(`Source contract: ${name}`, () => {
    it('hands out every record once, with its position, in offset order within a partition', async () => {
      const sent = records(50);
      const source = harness.open(await harness.create(sent), { group: newGroup() });
      try {
        const got = await firstRecords(source, sent.length);
        expect(got.map((r) => text(r.value)).sort()).toEqual(sent.map((r) => r.value).sort());
        const byPartition = new Map<number, SourceRecord[]>();
        for (const r of got) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
        for (const inPartition of byPartition.values()) {
          const offsets = inPartition.map((r) => r.offset);
          expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
          expect(new Set(offsets).size).toBe(offsets.length);
        }
        // Records of one key keep the order they were written in.
        for (const key of new Set(sent.map((r) => r.key))) {
          const order = got.filter((r) => r.key !== null && text(r.key) === key).map((r) => text(r.value));
          expect(order).toEqual(sent.filter((r) => r.key === key).map((r) => r.value));
        }
      } finally {
        await source.close();
      }
    });

    it('resumes a group after the positions it committed, and from there only', async () => {
      const sent = records(40);
      const storage = await harness.create(sent);
      const group = newGroup();
      const first = harness.open(storage, { group });
      const got = await firstRecords(first, sent.length);
      const done = got.slice(0, 25);
      await first.commit(positionsAfter(done));
      await first.stop();
      await first.close();

      const second = harness.open(storage, { group });
      try {
        const rest = await firstRecords(second, sent.length - done.length);
        const key = (r: SourceRecord) => `${r.partition}/${r.offset}`;
        const committed = positionsAfter(done);
        // Nothing at or below a committed position comes back; everything above it does.
        for (const r of rest) {
          const c = committed.find((p) => p.partition === r.partition);
          if (c) expect(r.offset).toBeGreaterThanOrEqual(c.offset);
        }
        expect(new Set([...done, ...rest].map(key)).size).toBe(sent.length);
      } finally {
        await second.close();
      }
    });

    it('hands out nothing while paused, and resumes when unpaused', async () => {
      const sent = records(20);
      const storage = await harness.create(sent);
      const paused = new BehaviorSubject(true);
      const source = harness.open(storage, { group: newGroup(), paused });
      // The same storage for another group, unpaused and opened at the same time: how long this source takes to hand
      // out everything (joining a group, a first fetch). Only a wait at least that long can catch a source that
      // ignores `paused`: a source that needs 3 s to start hands out nothing in a fixed half second either way.
      const witness = harness.open(storage, { group: newGroup() });
      try {
        const received: SourceRecord[] = [];
        const sub = source.records().subscribe((r) => received.push(r));
        const opened = Date.now();
        await firstRecords(witness, sent.length, 30_000);
        const ready = Date.now() - opened;
        await sleep(Math.max(500, ready));
        const whilePaused = received.map((r) => text(r.value));
        expect(whilePaused, `handed out while paused (unpaused, the source handed out all ${sent.length} in ${ready} ms)`).toEqual([]);
        paused.next(false);
        await until(
          () => received.length >= sent.length,
          10_000,
          () => `${received.length} of ${sent.length} records handed out after unpausing`,
        );
        sub.unsubscribe();
        expect(received.map((r) => text(r.value)).sort()).toEqual(sent.map((r) => r.value).sort());
      } finally {
        await witness.close();
        await source.close();
      }
    });

    it('completes records() after stop(), and still accepts commits until close()', async () => {
      const sent = records(10);
      const storage = await harness.create(sent);
      const group = newGroup();
      const source = harness.open(storage, { group });
      const received: SourceRecord[] = [];
      const completed = lastValueFrom(
        source.records().pipe(
          tap((r) => received.push(r)),
          timeout(10_000),
        ),
        { defaultValue: undefined },
      );
      await until(
        () => received.length >= sent.length,
        10_000,
        () => `${received.length} of ${sent.length} records handed out`,
      );
      await source.stop();
      await completed; // rejects with a TimeoutError if records() never completes
      expect(received).toHaveLength(sent.length);
      // Part of what was handed out is committed after stop(): a new member of the group resumes exactly there.
      const done = received.slice(0, 6);
      await source.commit(positionsAfter(done));
      await source.close();

      // The commit made after stop() counted: the group's next member hands out the rest, and only the rest (a lost
      // commit would start each partition over, with records already done). No quiet window is needed for that.
      const again = harness.open(storage, { group });
      try {
        const rest = await firstRecords(again, sent.length - done.length);
        const key = (r: SourceRecord) => `${r.partition}/${r.offset}`;
        expect(rest.map(key).sort()).toEqual(received.slice(done.length).map(key).sort());
      } finally {
        await again.close();
      }
    });
  });
}
