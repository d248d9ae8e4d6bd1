import type { Message, MessagesStream } from '@platformatic/kafka';
import type { SourceRecord } from '@sneakpipe/core';
import type { GroupConsumer } from './group-consumer.js';

/** A message as the source's consumer decodes it (headers as strings). */
export type GroupMessage = Message<Buffer, Buffer, string, string>;
type GroupStream = MessagesStream<Buffer, Buffer, string, string>;

/** What a fetch stream tells its source, only while it is the current one. */
export interface FetchHandlers {
  message(message: GroupMessage): void;
  error(error: Error): void;
  /** Whether the new stream starts paused (backpressure, a rebalance, partitions held). */
  startsPaused(): boolean;
}

/**
 * The source's current fetch stream, one at a time: opened on a consumer from
 * the group's committed offsets, paused and resumed, dropped when a new one
 * replaces it. A stream that is no longer the current one tells nothing.
 */
export class FetchStream {
  private current: GroupStream | undefined;

  constructor(
    private readonly topic: string,
    private readonly fromBeginning: boolean,
  ) {}

  /** Opens a stream on `consumer`, which joins its group first; it becomes the current one. */
  async open(consumer: GroupConsumer, handlers: FetchHandlers): Promise<void> {
    const options = {
      topics: [this.topic],
      mode: 'committed' as const,
      fallbackMode: this.fromBeginning ? ('earliest' as const) : ('latest' as const),
      autocommit: false,
    };
    const stream = await new Promise<GroupStream>((resolve, reject) =>
      consumer.consume(options, (error, created) => {
        // A listener before anything else runs: a stream created as the member closes (its join answered late)
        // fails in its constructor, on the next tick, before an awaited promise would resume here.
        created?.on('error', () => undefined);
        if (error || !created) reject(error);
        else resolve(created);
      }),
    );
    this.current = stream;
    stream.on('data', (message: GroupMessage) => {
      if (stream === this.current) handlers.message(message);
    });
    stream.on('error', (error: Error) => {
      if (stream === this.current) handlers.error(error);
    });
    if (handlers.startsPaused()) stream.pause();
  }

  pause(): void {
    this.current?.pause();
  }

  resume(): void {
    this.current?.resume();
  }

  /** Forgets the current stream and closes it; resolves once it is closed (a failure to close is ignored). */
  async drop(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.close().catch(() => undefined);
  }

  /** Closes the current stream and keeps it current: it tells nothing more once the source is stopped. */
  async close(): Promise<void> {
    await this.current?.close().catch(() => undefined);
  }
}

/** A fetched message as a record: its position, key, value (empty when null), timestamp and headers. */
export function recordOf(m: GroupMessage): SourceRecord {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: Number(m.offset),
    key: m.key ?? null,
    value: m.value ?? Buffer.alloc(0),
    timestamp: Number(m.timestamp),
    ...(m.headers.size > 0 ? { headers: Object.fromEntries(m.headers) } : {}),
  };
}
