import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import {
  LoadSplitError,
  PositionConflictError,
  SneakpipeError,
  sleep,
  type ColumnSpec,
  type PositionAdvance,
  type Row,
  type TableRows,
  type TableSpec,
  type Warehouse,
  type WarehouseLoad,
  type WarehouseRow,
} from '@sneakpipe/core';
import type { SnowflakeWarehouse } from '../snowflake-warehouse.js';
import { ndjsonRows } from './ndjson-rows.js';
import { StreamingApiError, type ChannelAddress, type ChannelStatus, type StreamingApi } from './streaming-api.js';
import { STREAMED_POSITIONS } from './streamed-positions.js';

const gzip = promisify(gzipCallback);

/** Snowflake's cap on one append, measured on the wire (after compression). */
export const MAX_APPEND_BYTES = 4 * 1024 * 1024;

/** Options of {@link StreamingWarehouse}. */
export interface StreamingWarehouseOptions {
  readonly api: StreamingApi;
  /** The SQL side: creates the tables, answers queries, loads reference data and loads without positions. */
  readonly sql: SnowflakeWarehouse;
  readonly database: string;
  readonly schema: string;
  /** How long a load waits for each of its two commits (rows, then position). Default 25 s: a load fits in the pipeline's 60 s. */
  readonly commitTimeoutMs?: number;
}

/** The default pipe Snowflake makes for a table: `<TABLE>-STREAMING`. */
export const defaultPipe = (table: string) => `${table}-STREAMING`;

/**
 * A partition's channel name within a pipe: topic, partition and consumer
 * group, so two groups never share a channel, and two members of one group
 * share one only when they take the partition from each other.
 */
export const channelName = (group: string, topic: string, partition: number) => `${topic}:${partition}:${group}`;

/** One open channel, as this writer last knew it. */
interface Channel {
  readonly address: ChannelAddress;
  /** The partition's positions channel (on `STREAMED_POSITIONS`), whose token is the stored position. */
  readonly isPositions: boolean;
  /** Positions channel: the position the SQL tables hold, below which its token never counts (method switches, expiry). */
  floor: number | null;
  continuationToken: string;
  /** The committed offset token as a number: the partition's next offset after the rows committed; `null`: none. */
  committed: number | null;
  /** Set when a call failed without telling what it did: the channel is reopened (and its state read) before use. */
  unsure: boolean;
  /** Rows Snowflake skipped on this channel so far (cumulative, as its status counts them); -1 before the first open. */
  rowsErrors: number;
}

/** A partition this writer claimed: its positions channel, and its channel of each table it wrote. */
interface Claimed {
  readonly positions: Channel;
  readonly tables: Map<string, Channel>;
}

const tokenNumber = (token: string | null): number | null => {
  if (token === null) return null;
  const n = Number(token);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new SneakpipeError(
      'WAREHOUSE_REJECTED',
      `Snowpipe Streaming: channel holds offset token ${JSON.stringify(token)}, not one sneakpipe writes`,
      { retriable: false },
    );
  return n;
};

/**
 * The Snowflake warehouse, loading through Snowpipe Streaming (the REST API
 * of its high-performance architecture) instead of transactions run by a
 * virtual warehouse: rows are appended to channels and committed by
 * Snowflake's serverless ingestion.
 *
 * Exactly once by offset tokens. Each (table, topic, partition, consumer
 * group) has a channel on the table's default pipe, and each (topic,
 * partition, group) one more on `STREAMED_POSITIONS`'s: a load of a
 * partition's records `[from, to)` appends each table's rows with the offset
 * token `to`, waits until Snowflake has committed them, then appends the
 * position row with the token `to` and waits for it. The positions channel's
 * committed token is the partition's stored position; a table's token says
 * which of its rows are in already, so a load cut short between its tables
 * is completed table by table (`LoadSplitError` cuts a replayed batch where
 * a table's rows stop). Claiming a partition reopens its positions channel,
 * which fences the previous owner: what it appends afterwards is refused and
 * what it had appended uncommitted is dropped. A call that got no answer
 * makes its channel `unsure`: it is reopened (which drops anything
 * uncommitted) and its committed token read before it is used again, so an
 * append is never repeated blindly. See docs/snowflake.md for what can still
 * go wrong.
 *
 * Everything else (creating the tables, queries, reference data, loads
 * without positions) goes through the SQL warehouse it wraps.
 */
export class StreamingWarehouse implements Warehouse {
  readonly loadsByPartition = true;
  private readonly claimed = new Map<string, Promise<Claimed>>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly api: StreamingApi;
  private readonly sql: SnowflakeWarehouse;

  constructor(private readonly options: StreamingWarehouseOptions) {
    this.api = options.api;
    this.sql = options.sql;
  }

  init(): Promise<void> {
    return this.sql.init();
  }

  async claim(group: string, topic: string, partitions: readonly number[]): Promise<void> {
    const kafka = partitions.filter((p) => p >= 0);
    for (const partition of kafka) this.claimed.delete(key(group, topic, partition));
    await Promise.all(kafka.map((partition) => this.claimedPartition(group, topic, partition)));
  }

  /**
   * With `partitions`, the highest of their positions channels' tokens and of
   * the positions the SQL tables hold (`LOAD_POSITIONS`, `STREAMED_POSITIONS`:
   * what the transactional method stored, or a channel dropped after 30 idle
   * days); without, from those tables.
   */
  async positions(group: string, topic: string, partitions?: readonly number[]): Promise<ReadonlyMap<number, number>> {
    const stored = await this.sql.positions(group, topic);
    const kafka = partitions?.filter((p) => p >= 0);
    if (!kafka || kafka.length === 0) return stored;
    const names = kafka.map((p) => channelName(group, topic, p));
    const statuses = await this.api.status(this.pipeAddress(STREAMED_POSITIONS.name), names);
    const result = new Map<number, number>();
    for (const [i, partition] of kafka.entries()) {
      const highest = higher(tokenNumber(statuses.get(names[i]!)?.committedToken ?? null), stored.get(partition) ?? null);
      if (highest !== null) result.set(partition, highest);
    }
    return result;
  }

  async append(load: WarehouseLoad): Promise<void> {
    const advances = load.positions ?? [];
    // No positions, or a lock rather than a Kafka partition (dead-letter replay's): a transaction on the warehouse.
    if (advances.length === 0 || advances.every((a) => a.partition < 0)) return this.sql.append(load);
    if (advances.length > 1 || load.group === undefined)
      throw new SneakpipeError('CONFIG_INVALID', 'a Snowpipe Streaming load covers one partition of one group (see `loadsByPartition`)', {
        retriable: false,
      });
    const [advance] = advances as [PositionAdvance];
    // One load at a time per partition: each one's expected position is the previous one's result.
    return this.serial(key(load.group, advance.topic, advance.partition), () => this.appendPartition(load.group!, advance, load.tables));
  }

  private async appendPartition(
    group: string,
    { topic, partition, from, to }: PositionAdvance,
    tables: readonly TableRows[],
  ): Promise<void> {
    const claimed = await this.claimedPartition(group, topic, partition);
    try {
      if (claimed.positions.unsure) await this.reopen(claimed.positions);
      if (claimed.positions.committed !== from)
        throw new PositionConflictError([{ topic, partition, expected: from, stored: claimed.positions.committed }]);
      const loadedAt = Date.now();
      const sends: { channel: Channel; body: Uint8Array }[] = [];
      for (const { table, rows } of tables) {
        if (rows.length === 0) continue;
        const channel = await this.tableChannel(claimed, group, topic, partition, table);
        if (channel.unsure) await this.reopen(channel);
        const t = channel.committed;
        if (t !== null && t >= to) continue; // the table has these rows already
        if (t !== null && t > (from ?? -1)) throw new LoadSplitError(topic, partition, t);
        const body = await gzip(ndjsonRows(table, rows, loadedAt));
        if (body.byteLength > MAX_APPEND_BYTES) throw tooLarge(topic, partition, to, table.name, rows.length, body.byteLength);
        sends.push({ channel, body });
      }
      const appended = await Promise.allSettled(sends.map(({ channel, body }) => this.appendTo(channel, to, body)));
      const failed = appended.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (failed.length > 0) {
        // Whatever the others did, the next attempt reads every channel of this load afresh.
        for (const { channel } of sends) channel.unsure = true;
        throw failed.find((e) => e instanceof StreamingApiError && e.fenced) ?? failed[0];
      }
      await this.committed(
        sends.map((s) => s.channel),
        to,
      );
      const position: WarehouseRow = [group, topic, partition, to];
      await this.appendTo(claimed.positions, to, await gzip(ndjsonRows(STREAMED_POSITIONS, [position], loadedAt)));
      await this.committed([claimed.positions], to);
    } catch (error) {
      if (error instanceof StreamingApiError && error.fenced) {
        // Another member claimed the partition: what it has stored decides what remains to load.
        this.claimed.delete(key(group, topic, partition));
        const stored = (await this.positions(group, topic, [partition]).catch(() => new Map<number, number>())).get(partition) ?? null;
        throw new PositionConflictError([{ topic, partition, expected: from, stored }]);
      }
      throw error;
    }
  }

  private serial(k: string, work: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(k) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    this.queues.set(k, settled);
    void settled.then(() => {
      if (this.queues.get(k) === settled) this.queues.delete(k);
    });
    return run;
  }

  /** One partition's channels, claimed (opened) once; a failed claim is tried again on next use. */
  private claimedPartition(group: string, topic: string, partition: number): Promise<Claimed> {
    const k = key(group, topic, partition);
    let claimed = this.claimed.get(k);
    if (!claimed) {
      claimed = (async () => {
        // Never below what the SQL tables hold: the transactional method's positions, or this channel's own history
        // after Snowflake dropped it (30 idle days).
        const floor = (await this.sql.positions(group, topic)).get(partition) ?? null;
        const positions = await this.open(this.pipeAddress(STREAMED_POSITIONS.name), channelName(group, topic, partition), floor);
        return { positions, tables: new Map() };
      })();
      this.claimed.set(k, claimed);
      claimed.catch(() => {
        if (this.claimed.get(k) === claimed) this.claimed.delete(k);
      });
    }
    return claimed;
  }

  private async tableChannel(claimed: Claimed, group: string, topic: string, partition: number, table: TableSpec): Promise<Channel> {
    let channel = claimed.tables.get(table.name);
    if (!channel) {
      channel = await this.open(this.pipeAddress(table.name), channelName(group, topic, partition), undefined);
      claimed.tables.set(table.name, channel);
    }
    return channel;
  }

  /** Opens a channel; `floor` given: the positions channel, whose position is never below it. */
  private async open(pipe: Omit<ChannelAddress, 'channel'>, name: string, floor: number | null | undefined): Promise<Channel> {
    const address = { ...pipe, channel: name };
    const channel: Channel = {
      address,
      isPositions: floor !== undefined,
      floor: floor ?? null,
      continuationToken: '',
      committed: null,
      unsure: true,
      rowsErrors: -1,
    };
    await this.reopen(channel);
    return channel;
  }

  /**
   * Opens the channel (again: dropping what it holds uncommitted, fencing any
   * other writer) and takes its committed token as it is now. Rows Snowflake
   * skipped since the channel was last read stop the load, as in `committed`.
   */
  private async reopen(channel: Channel): Promise<void> {
    const opened = await this.api.open(channel.address);
    if (opened.status.statusCode !== 'SUCCESS' && opened.status.statusCode !== 'ACTIVE')
      throw new SneakpipeError(
        'WAREHOUSE_UNAVAILABLE',
        `Snowpipe Streaming: channel ${channel.address.channel} of ${channel.address.pipe} opened as ${opened.status.statusCode}`,
        { retriable: true },
      );
    channel.continuationToken = opened.continuationToken;
    const committed = tokenNumber(opened.status.committedToken);
    channel.committed = channel.isPositions ? higher(committed, channel.floor) : committed;
    channel.unsure = false;
    const before = channel.rowsErrors;
    channel.rowsErrors = opened.status.rowsErrors;
    if (before >= 0) checkSkipped(channel, before, opened.status);
  }

  /** Appends `body` with the offset token `to`; when the answer is lost or refused the channel becomes unsure. */
  private async appendTo(channel: Channel, to: number, body: Uint8Array): Promise<void> {
    try {
      channel.continuationToken = await this.api.append(channel.address, channel.continuationToken, String(to), body);
    } catch (error) {
      channel.unsure = true;
      throw error;
    }
  }

  /** Waits until every channel has committed the offset token `to` (polling its pipe's bulk status). */
  private async committed(channels: readonly Channel[], to: number): Promise<void> {
    const timeoutMs = this.options.commitTimeoutMs ?? 25_000;
    const deadline = Date.now() + timeoutMs;
    let waiting = [...channels];
    // Polled every 250 ms at most, as Redpanda Connect does: Snowflake commits within a second or so.
    for (let delay = 50; waiting.length > 0; delay = Math.min(250, delay * 1.5)) {
      await sleep(delay);
      const byPipe = new Map<string, Channel[]>();
      for (const c of waiting) byPipe.set(c.address.pipe, [...(byPipe.get(c.address.pipe) ?? []), c]);
      for (const group of byPipe.values()) {
        const statuses = await this.api.status(
          group[0]!.address,
          group.map((c) => c.address.channel),
        );
        for (const channel of group) {
          const status = statuses.get(channel.address.channel);
          if (status && status.statusCode !== 'SUCCESS' && status.statusCode !== 'ACTIVE') {
            channel.unsure = true;
            throw new SneakpipeError(
              'WAREHOUSE_UNAVAILABLE',
              `Snowpipe Streaming: channel ${channel.address.channel} of ${channel.address.pipe} is ${status.statusCode}${status.lastErrorMessage ? `: ${status.lastErrorMessage}` : ''}; reopening it`,
              { retriable: true },
            );
          }
          if (status) {
            const before = channel.rowsErrors;
            channel.rowsErrors = Math.max(before, status.rowsErrors);
            checkSkipped(channel, before, status);
          }
          const committed = tokenNumber(status?.committedToken ?? null);
          if (committed !== null && committed >= to) channel.committed = committed;
        }
      }
      waiting = waiting.filter((c) => c.committed === null || c.committed < to);
      if (waiting.length > 0 && Date.now() > deadline) {
        for (const channel of waiting) channel.unsure = true;
        throw new SneakpipeError(
          'WAREHOUSE_UNAVAILABLE',
          `Snowpipe Streaming: offset token ${to} not committed on ${waiting.map((c) => `${c.address.pipe}/${c.address.channel}`).join(', ')} within ${timeoutMs} ms`,
          { retriable: true },
        );
      }
    }
  }

  private pipeAddress(table: string): Omit<ChannelAddress, 'channel'> {
    return { database: this.options.database.toUpperCase(), schema: this.options.schema.toUpperCase(), pipe: defaultPipe(table) };
  }

  insertIfAbsent(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    return this.sql.insertIfAbsent(table, rows);
  }

  addColumns(table: TableSpec, columns: readonly ColumnSpec[]): Promise<TableSpec> {
    return this.sql.addColumns(table, columns);
  }

  table(name: string): string {
    return this.sql.table(name);
  }

  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.sql.query<R>(sql, params);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

const key = (group: string, topic: string, partition: number) => `${group}\u0000${topic}\u0000${partition}`;

const higher = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Rows Snowflake skipped since `before` (its status counts them): Snowpipe Streaming skips rows it cannot load
 * (ON_ERROR=CONTINUE is its only mode), so the load stops rather than go on without them.
 */
function checkSkipped(channel: Channel, before: number, status: ChannelStatus): void {
  if (status.rowsErrors <= before) return;
  throw new SneakpipeError(
    'WAREHOUSE_REJECTED',
    `Snowpipe Streaming: Snowflake skipped ${status.rowsErrors - before} row(s) appended to ${channel.address.pipe} on channel ${channel.address.channel}: ${status.lastErrorMessage ?? 'no message'}`,
    { retriable: false },
  );
}

/** Rows over the per-append cap: the load is to be cut in two (`LoadSplitError` without a point), or refused when one record alone is too large. */
function tooLarge(topic: string, partition: number, to: number, table: string, rows: number, bytes: number): Error {
  if (rows >= 2) return new LoadSplitError(topic, partition);
  return new SneakpipeError(
    'WAREHOUSE_REJECTED',
    `Snowpipe Streaming: the row of ${topic}/${partition} offset ${to - 1} for ${table} takes ${bytes} bytes compressed, over the ${MAX_APPEND_BYTES}-byte cap of one append`,
    { retriable: false },
  );
}
