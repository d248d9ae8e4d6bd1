import { markOutcome } from '../contracts/record-outcome.js';
import type { RecordPosition } from '../contracts/records.js';
import type { Sink } from '../contracts/sink.js';
import type { TableRows } from '../contracts/tables.js';
import { SneakpipeError } from '../errors/sneakpipe-error.js';
import { LoadSplitError, PositionConflictError, type PositionAdvance, type Warehouse } from '../contracts/warehouse.js';

/** Options of {@link positionedSink}. */
export interface PositionedSinkOptions<T> {
  /** Where rows and positions go; `append`, `positions`, and `claim` and `loadsByPartition` when it has them. */
  warehouse: Pick<Warehouse, 'append' | 'positions' | 'claim' | 'loadsByPartition'>;
  /** The consumer group whose positions are stored (one stream of positions per group). */
  group: string;
  /**
   * The rows to append for records that are not loaded yet, per table; a
   * promise when making them takes the warehouse (schema evolution adds
   * columns first).
   */
  rows: (items: readonly T[]) => readonly TableRows[] | Promise<readonly TableRows[]>;
  /** Records dropped because the warehouse already has them (replays after a crash or a rebalance). */
  onSkipped?: (items: readonly T[]) => void;
  /**
   * A partition's records start after its stored position: the records in
   * between never arrived (a compacted topic, transaction markers, or offsets
   * committed ahead of the warehouse by someone else).
   */
  onGap?: (gap: { topic: string; partition: number; stored: number; first: number }) => void;
  /** Conflicts in a row (positions moved by another writer) before a write fails. Default 20. */
  maxConflicts?: number;
}

/** A sink that loads each record exactly once by positions. */
export interface PositionedSink<T> extends Sink<T> {
  /**
   * Reads the warehouse's stored positions of `topic` for the group and
   * remembers them; a source resumes the returned partitions from there.
   * Call it when partitions are assigned: another member may have loaded more.
   * With `partitions`, a warehouse that has `claim` first takes their writing
   * over (fencing their previous owner).
   */
  resume(topic: string, partitions?: readonly number[]): Promise<ReadonlyMap<number, number>>;
  /** Records dropped so far because they were already loaded. */
  readonly skipped: number;
}

type Advance = PositionAdvance & { first: number; to: number };

/**
 * Makes a {@link Warehouse} an exactly-once sink of positioned records. Each
 * write drops the records below the stored position of their partition
 * (already loaded), then appends the rest and advances each partition's
 * position in one warehouse transaction, on the condition that the stored
 * position is still the one this sink last saw. When another writer moved it
 * (a member that took the partition over, a replay), the write reads the
 * positions again, drops what is now loaded, and tries again. So a crash, a
 * rebalance or a zombie member can replay records to the sink, never into the
 * tables; and since no statement reads the target tables, a load costs the
 * same on day one and on day one thousand.
 *
 * Writes run one at a time (each one's expected positions are the previous
 * one's result). Records without a position are appended as they come.
 *
 * Rows come from `rows`, in the connectors' positional form; for rows by
 * column name, checked against their table, use `tableRows` (or `tableSink`).
 *
 * @example
 * ```ts
 * import { column, defineTable, jsonCodec, loadPipeline, positionedSink, type Decoded, type Source, type Warehouse } from '@sneakpipe/core';
 * import { z } from 'zod';
 *
 * declare const source: Source;
 * declare const warehouse: Warehouse;
 * const Event = z.object({ id: z.string() });
 * const EVENTS = defineTable({ name: 'EVENTS', description: 'Events.', columns: [column('ID', 'text')] });
 * const sink = positionedSink<Decoded<z.infer<typeof Event>>>({
 *   warehouse,
 *   group: 'loader',
 *   rows: (items) => [{ table: EVENTS, rows: items.flatMap((item) => (item.ok ? [[item.value.id]] : [])) }],
 * });
 * loadPipeline({ source, codec: jsonCodec(Event), sink }).subscribe();
 * ```
 */
export function positionedSink<T extends { readonly position?: RecordPosition | undefined }>(
  options: PositionedSinkOptions<T>,
): PositionedSink<T> {
  const { warehouse, group } = options;
  const maxConflicts = options.maxConflicts ?? 20;
  /** Per topic read so far: each partition's stored next offset as last seen (absent: none stored). */
  const known = new Map<string, Map<number, number>>();
  /** Per topic, the partitions read (`all`: the warehouse answers for every partition at once). */
  const read = new Map<string, Set<number> | 'all'>();
  let queue: Promise<unknown> = Promise.resolve();
  let skipped = 0;
  /**
   * Records loaded by a write that then failed on another partition (loading by partition only): the write is
   * tried again with the same batch, and these are neither loaded again nor counted as skipped.
   */
  const loaded = new WeakSet<object>();
  let rowsQueue: Promise<unknown> = Promise.resolve();

  async function readPositions(topic: string, partitions?: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const stored = await warehouse.positions(group, topic, partitions);
    let positions = known.get(topic);
    if (!positions || !partitions) known.set(topic, (positions = new Map()));
    for (const p of partitions ?? stored.keys()) {
      const at = stored.get(p);
      if (at === undefined) positions.delete(p);
      else positions.set(p, at);
    }
    const done = read.get(topic);
    if (!partitions || !warehouse.loadsByPartition) read.set(topic, 'all');
    else if (done !== 'all') read.set(topic, new Set([...(done ?? []), ...partitions]));
    return stored;
  }

  /** Reads the positions of the partitions of `batch` not read yet. */
  async function readUnread(batch: readonly T[]): Promise<void> {
    const unread = new Map<string, Set<number>>();
    for (const { position: p } of batch) {
      if (!p) continue;
      const done = read.get(p.topic);
      if (done === 'all' || done?.has(p.partition)) continue;
      let partitions = unread.get(p.topic);
      if (!partitions) unread.set(p.topic, (partitions = new Set()));
      partitions.add(p.partition);
    }
    for (const [topic, partitions] of unread) await readPositions(topic, [...partitions]);
  }

  /** One load; for a warehouse that loads by partition, one per partition at once (see `appendPart`). */
  async function append(fresh: readonly T[], advances: readonly Advance[]): Promise<void> {
    if (!warehouse.loadsByPartition) {
      const positions = advances.map(({ topic, partition, from, to }) => ({ topic, partition, from, to }));
      await warehouse.append({ tables: await options.rows(fresh), group, positions });
      for (const a of advances) advanced(a);
      return;
    }
    const done: T[] = [];
    const unpositioned = fresh.filter((item) => !item.position);
    if (unpositioned.length > 0) {
      await warehouse.append({ tables: await rowsInTurn(unpositioned), group, positions: [] });
      done.push(...unpositioned);
    }
    const results = await Promise.allSettled(
      advances.map(async (a) => {
        const items = fresh.filter((item) => item.position?.topic === a.topic && item.position.partition === a.partition);
        await appendPart(items, a);
        done.push(...items);
      }),
    );
    // A failure other than a conflict first: it is what the caller must see (a conflict is handled here).
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const first = failed.find((e) => !(e instanceof PositionConflictError)) ?? failed[0];
    if (first !== undefined) {
      for (const item of done) loaded.add(item);
      if (first instanceof PositionConflictError && failed.length > 1)
        throw new PositionConflictError(failed.flatMap((e) => (e as PositionConflictError).conflicts));
      throw first;
    }
  }

  /**
   * One partition's load. A warehouse whose tables commit apart may find a
   * table holding the first records already, or the load too large for one
   * request ({@link LoadSplitError}): the two parts are then loaded on their own.
   */
  async function appendPart(items: readonly T[], a: Advance): Promise<void> {
    try {
      const positions = [{ topic: a.topic, partition: a.partition, from: a.from, to: a.to }];
      await warehouse.append({ tables: await rowsInTurn(items), group, positions });
    } catch (error) {
      if (!(error instanceof LoadSplitError)) throw error;
      const at = error.at ?? (items.length >= 2 ? items[items.length >> 1]!.position!.offset : undefined);
      if (at === undefined)
        throw new SneakpipeError(
          'WAREHOUSE_REJECTED',
          `${a.topic}/${a.partition}: one record is more than the warehouse takes in one load`,
          {
            retriable: false,
            cause: error,
          },
        );
      if (!(at > (a.from ?? -1) && at < a.to)) throw error;
      const head = items.filter((item) => item.position!.offset < at);
      const tail = items.filter((item) => item.position!.offset >= at);
      await appendPart(head, { ...a, first: head[0]?.position!.offset ?? at, to: at });
      await appendPart(tail, { ...a, from: at, first: tail[0]?.position!.offset ?? a.to });
      return;
    }
    advanced(a);
  }

  /** `rows`, one call at a time: the partitions load at once, and making rows may take the warehouse (schema evolution). */
  function rowsInTurn(items: readonly T[]): Promise<readonly TableRows[]> {
    const run = rowsQueue.then(() => options.rows(items));
    rowsQueue = run.catch(() => undefined);
    return run;
  }

  function advanced(a: Advance): void {
    if (a.from !== null && a.first > a.from) options.onGap?.({ topic: a.topic, partition: a.partition, stored: a.from, first: a.first });
    known.get(a.topic)!.set(a.partition, a.to);
  }

  async function writeOnce(batch: readonly T[]): Promise<void> {
    await readUnread(batch);
    const partial = warehouse.loadsByPartition === true;
    for (let conflicts = 0; ; conflicts++) {
      const fresh: T[] = [];
      const below: T[] = [];
      // Per topic, per partition (no key string per item: this runs per record).
      const advancesByTopic = new Map<string, Map<number, Advance>>();
      for (const item of batch) {
        const p = item.position;
        if (partial && loaded.has(item)) continue;
        if (!p) {
          fresh.push(item);
          continue;
        }
        const stored = known.get(p.topic)!.get(p.partition) ?? null;
        let advances = advancesByTopic.get(p.topic);
        if (!advances) advancesByTopic.set(p.topic, (advances = new Map()));
        const advance = advances.get(p.partition);
        // Below the stored position, or a second copy within this batch (offsets only grow within a partition).
        if ((stored !== null && p.offset < stored) || (advance && p.offset < advance.to)) {
          below.push(item);
          continue;
        }
        fresh.push(item);
        if (!advance)
          advances.set(p.partition, { topic: p.topic, partition: p.partition, from: stored, first: p.offset, to: p.offset + 1 });
        else if (p.offset + 1 > advance.to) advance.to = p.offset + 1;
      }
      const advances = [...advancesByTopic.values()].flatMap((byPartition) => [...byPartition.values()]);
      if (fresh.length > 0) {
        try {
          await append(fresh, advances);
        } catch (error) {
          if (!(error instanceof PositionConflictError) || conflicts + 1 >= maxConflicts) throw error;
          for (const c of error.conflicts) {
            if (c.stored === null) known.get(c.topic)?.delete(c.partition);
            else known.get(c.topic)?.set(c.partition, c.stored);
          }
          continue;
        }
      }
      if (partial) for (const item of batch) loaded.delete(item);
      skipped += below.length;
      for (const item of below) markOutcome(item, 'skipped');
      if (below.length > 0) options.onSkipped?.(below);
      return;
    }
  }

  return {
    write(batch) {
      const run = queue.then(() => writeOnce(batch));
      queue = run.catch(() => undefined);
      return run;
    },
    async resume(topic, partitions) {
      if (partitions && warehouse.claim) await warehouse.claim(group, topic, partitions);
      const stored = await readPositions(topic, partitions);
      if (!partitions) return stored;
      return new Map(partitions.flatMap((p) => (stored.has(p) ? [[p, stored.get(p)!] as const] : [])));
    },
    get skipped() {
      return skipped;
    },
  };
}
