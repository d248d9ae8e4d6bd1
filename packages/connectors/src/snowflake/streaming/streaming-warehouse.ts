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
import { StreamingApiError, type ChannelAddress, type StreamingApi } from './streaming-api.js';
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
  /** How long a load waits for Snowflake to commit what it appended. Default 120 s. */
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
  continuationToken: string;
  /** The committed offset token as a number: the partition's next offset after the rows committed; `null`: none. */
  committed: number | null;
  /** Set when a call failed without telling what it did: the channel is reopened (and its state read) before use. */
  unsure: boolean;
  /** Rows Snowflake skipped on this channel so far (cumulative, as its status counts them). */
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
    for (const partition of partitions) this.claimed.delete(key(group, topic, partition));
    await Promise.all(partitions.map((partition) => this.claimedPartition(group, topic, partition)));
  }

  /**
   * With `partitions`, read from their positions channels (a channel never
   * written, or dropped after 30 idle days, falls back to the highest position
   * in `STREAMED_POSITIONS` and `LOAD_POSITIONS`); without, from those tables.
   */
  async positions(group: string, topic: string, partitions?: readonly number[]): Promise<ReadonlyMap<number, number>> {
    if (!partitions) return this.sql.positions(group, topic);
    const names = partitions.map((p) => channelName(group, topic, p));
    const statuses = await this.api.status(this.pipeAddress(STREAMED_POSITIONS.name), names);
    const result = new Map<number, number>();
    let stored: ReadonlyMap<number, number> | undefined;
    for (const [i, partition] of partitions.entries()) {
      const token = tokenNumber(statuses.get(names[i]!)?.committedToken ?? null);
      if (token !== null) result.set(partition, token);
      else {
        stored ??= await this.sql.positions(group, topic);
        if (stored.has(partition)) result.set(partition, stored.get(partition)!);
      }
    }
    return result;
  }

  async append(load: WarehouseLoad): Promise<void> {
    const advances = load.positions ?? [];
    if (advances.length === 0) return this.sql.append(load);
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
        if (body.byteLength > MAX_APPEND_BYTES) throw this.tooLarge(topic, partition, from, to, table.name, body.byteLength);
        sends.push({ channel, body });
      }
      await Promise.all(sends.map(({ channel, body }) => this.appendTo(channel, to, body)));
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
        const positions = await this.open(this.pipeAddress(STREAMED_POSITIONS.name), channelName(group, topic, partition));
        // A channel never written (or expired): start from the positions the tables hold (the transactional method's).
        if (positions.committed === null) positions.committed = (await this.sql.positions(group, topic)).get(partition) ?? null;
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
      channel = await this.open(this.pipeAddress(table.name), channelName(group, topic, partition));
      claimed.tables.set(table.name, channel);
    }
    return channel;
  }

  private async open(pipe: Omit<ChannelAddress, 'channel'>, name: string): Promise<Channel> {
    const address = { ...pipe, channel: name };
    const opened = await this.api.open(address);
    checkHealthy(address, opened.status.statusCode);
    return {
      address,
      continuationToken: opened.continuationToken,
      committed: tokenNumber(opened.status.committedToken),
      unsure: false,
      rowsErrors: opened.status.rowsErrors,
    };
  }

  /** Opens the channel again (dropping what it holds uncommitted) and takes its committed token as it is now. */
  private async reopen(channel: Channel): Promise<void> {
    const positions = channel.address.pipe === defaultPipe(STREAMED_POSITIONS.name);
    const opened = await this.api.open(channel.address);
    checkHealthy(channel.address, opened.status.statusCode);
    channel.continuationToken = opened.continuationToken;
    channel.rowsErrors = opened.status.rowsErrors;
    const committed = tokenNumber(opened.status.committedToken);
    // The positions channel keeps its seed from the tables until its first commit.
    if (committed !== null || !positions) channel.committed = committed;
    channel.unsure = false;
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
    const deadline = Date.now() + (this.options.commitTimeoutMs ?? 120_000);
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
          const committed = tokenNumber(status?.committedToken ?? null);
          if (committed !== null && committed >= to) channel.committed = committed;
          if (status && status.rowsErrors > channel.rowsErrors) {
            const skipped = status.rowsErrors - channel.rowsErrors;
            channel.rowsErrors = status.rowsErrors;
            // Snowpipe Streaming skips rows it cannot load (ON_ERROR=CONTINUE is its only mode): stop rather than go on without them.
            throw new SneakpipeError(
              'WAREHOUSE_REJECTED',
              `Snowpipe Streaming: Snowflake skipped ${skipped} row(s) appended to ${channel.address.pipe} on channel ${channel.address.channel}: ${status.lastErrorMessage ?? 'no message'}`,
              { retriable: false },
            );
          }
        }
      }
      waiting = waiting.filter((c) => c.committed === null || c.committed < to);
      if (waiting.length > 0 && Date.now() > deadline) {
        for (const channel of waiting) channel.unsure = true;
        throw new SneakpipeError(
          'WAREHOUSE_UNAVAILABLE',
          `Snowpipe Streaming: offset token ${to} not committed on ${waiting.map((c) => `${c.address.pipe}/${c.address.channel}`).join(', ')} within ${this.options.commitTimeoutMs ?? 120_000} ms`,
          { retriable: true },
        );
      }
    }
  }

  /** Rows over the per-append cap: the load is cut in two (or refused when one record alone is too large). */
  private tooLarge(topic: string, partition: number, from: number | null, to: number, table: string, bytes: number): Error {
    const lower = from ?? Math.max(0, to - 2);
    if (to - lower >= 2) return new LoadSplitError(topic, partition, lower + Math.floor((to - lower) / 2));
    return new SneakpipeError(
      'WAREHOUSE_REJECTED',
      `Snowpipe Streaming: the rows of ${topic}/${partition} offset ${to - 1} for ${table} take ${bytes} bytes compressed, over the ${MAX_APPEND_BYTES}-byte cap of one append`,
      { retriable: false },
    );
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

function checkHealthy(address: ChannelAddress, statusCode: string): void {
  if (statusCode === 'SUCCESS' || statusCode === 'ACTIVE') return;
  throw new SneakpipeError(
    'WAREHOUSE_REJECTED',
    `Snowpipe Streaming: channel ${address.channel} of ${address.pipe} opened as ${statusCode}`,
    { retriable: true },
  );
}
