/**
 * Example: writing a custom Source.
 *
 * JSON-lines files read as a partitioned log: `<dir>/<topic>-<partition>.jsonl`
 * is one partition, each complete line one record, its line number the offset.
 * A group's committed positions are kept in `<dir>/<group>.offsets.json`,
 * replaced atomically (written, flushed, renamed), so a new instance resumes
 * after what was committed. It follows the files as they grow until `stop()`,
 * and hands out nothing while `paused` says so. That is the whole contract:
 * positions, commits, backpressure and a stop that completes `records()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordPosition, Source, SourceRecord } from '@sneakpipe/core';
import { Observable } from 'rxjs';

/** Options of {@link JsonLinesSource}. */
export interface JsonLinesSourceOptions {
  dir: string;
  topic: string;
  partitions: number;
  group: string;
  /** Backpressure (e.g. `FlowControl.paused$`): no record is handed out while the latest value is `true`. */
  paused?: Observable<boolean>;
  /** How often the files are read again for new lines. Default 100 ms. */
  pollMs?: number;
}

export class JsonLinesSource implements Source {
  private stopping = false;

  constructor(readonly options: JsonLinesSourceOptions) {}

  /** The file of one partition. */
  static file(dir: string, topic: string, partition: number): string {
    return join(dir, `${topic}-${partition}.jsonl`);
  }

  records(): Observable<SourceRecord> {
    const { dir, topic, partitions } = this.options;
    return new Observable<SourceRecord>((subscriber) => {
      let paused = false;
      const pausing = this.options.paused?.subscribe((p) => (paused = p));
      // The next line to hand out in each partition: the group's committed position, or the start.
      const committed = this.committedPositions();
      const next = Array.from({ length: partitions }, (_, p) => committed.get(p) ?? 0);
      let timer: NodeJS.Timeout | undefined;
      const poll = async () => {
        for (let p = 0; p < partitions && !paused && !this.stopping; p++) {
          const file = JsonLinesSource.file(dir, topic, p);
          if (!existsSync(file)) continue;
          // Only complete lines: a writer may be half-way through the last one. (A real source would keep a byte position.)
          const lines = (await readFile(file, 'utf8')).split('\n').slice(0, -1);
          for (; next[p]! < lines.length && !paused; next[p]!++) {
            const line = lines[next[p]!]!;
            const { key, value } = JSON.parse(line) as { key: string | null; value: unknown };
            subscriber.next({
              topic,
              partition: p,
              offset: next[p]!,
              key: key === null ? null : Buffer.from(key),
              value: Buffer.from(JSON.stringify(value)),
              timestamp: Date.now(),
            });
          }
        }
        if (this.stopping) subscriber.complete();
        else timer = setTimeout(() => void poll().catch((error) => subscriber.error(error)), this.options.pollMs ?? 100);
      };
      void poll().catch((error) => subscriber.error(error));
      return () => {
        clearTimeout(timer);
        pausing?.unsubscribe();
      };
    });
  }

  /** Stores the group's positions; resolves once they are on disk. */
  async commit(positions: readonly RecordPosition[]): Promise<void> {
    const stored = this.committedPositions();
    for (const p of positions) if (p.topic === this.options.topic) stored.set(p.partition, p.offset);
    const file = this.offsetsFile();
    await writeFile(`${file}.tmp`, JSON.stringify(Object.fromEntries(stored)), { flush: true });
    await rename(`${file}.tmp`, file); // atomic: a crash leaves the old positions or the new ones, never half a file
  }

  /** Stops handing out records: `records()` completes after the current read. Commits still work. */
  async stop(): Promise<void> {
    this.stopping = true;
  }

  async close(): Promise<void> {
    this.stopping = true;
  }

  private offsetsFile(): string {
    return join(this.options.dir, `${this.options.group}.offsets.json`);
  }

  private committedPositions(): Map<number, number> {
    const file = this.offsetsFile();
    if (!existsSync(file)) return new Map();
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    return new Map(Object.entries(stored).map(([p, offset]) => [Number(p), offset]));
  }
}
