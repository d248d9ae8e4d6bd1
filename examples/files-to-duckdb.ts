/**
 * Example: a generic pipeline of your own — your source, your schema, your
 * tables — with the library's `loadPipeline` and `tableSink`.
 *
 * Click events in JSON-lines files (the custom source of `custom-source.ts`)
 * are validated by a zod schema, batched, and appended, as rows by column
 * name checked against the table, to a `CLICKS` table of
 * DuckDB exactly once: each batch's rows and the group's positions are written
 * in one transaction, and records below the stored positions are dropped, so a
 * source that replays (its offsets lost, a crash before its commit) adds no row
 * twice. Records that fail the schema land in `REJECTED_CLICKS` with the
 * reason. `FlowControl` pauses the source while 1,000 records are in flight;
 * aborting `signal` stops the source, and the pipeline completes once every
 * record handed out is loaded and committed.
 */
import { FlowControl, column, deadLetterTable, defineTable, jsonCodec, loadPipeline, tableSink } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { lastValueFrom, tap } from 'rxjs';
import { z } from 'zod';
import { JsonLinesSource } from './custom-source.js';

const ClickSchema = z.object({ id: z.string().min(1), page: z.string(), at: z.number().int().nonnegative() });
type Click = z.infer<typeof ClickSchema>;

export const CLICKS = defineTable({
  name: 'CLICKS',
  description: 'One row per click event.',
  columns: [
    column('CLICK_ID', 'text'),
    column('PAGE', 'text'),
    column('CLICKED_AT', 'timestamp'),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});

/** Records that are not valid clicks: the reason, their bytes and where they came from. */
export const REJECTED_CLICKS = deadLetterTable('REJECTED_CLICKS');

/** Options of {@link filesToDuckDb}. */
export interface FilesToDuckDbOptions {
  dir: string;
  topic: string;
  partitions: number;
  group: string;
  /** The DuckDB file. */
  path: string;
  /** Aborting it stops the source: what a SIGTERM handler does. */
  signal: AbortSignal;
  /** Called after each batch is loaded and committed, with the records so far. */
  onBatch?: (total: number) => void;
}

/** Runs until `signal` aborts; returns how many records were loaded, valid or rejected. */
export async function filesToDuckDb(options: FilesToDuckDbOptions): Promise<number> {
  const { topic, group } = options;
  const warehouse = await DuckDbWarehouse.open({ path: options.path }, { tables: [CLICKS, REJECTED_CLICKS] });
  // #region pipeline
  const sink = tableSink({
    warehouse,
    group,
    table: CLICKS,
    deadLetters: REJECTED_CLICKS,
    row: (click: Click) => ({ CLICK_ID: click.id, PAGE: click.page, CLICKED_AT: click.at }), // checked against CLICKS
  });
  await sink.resume(topic); // the warehouse's positions: what lies below them is dropped, whatever the source replays
  const flow = new FlowControl({ highWater: 1_000 });
  const source = new JsonLinesSource({ dir: options.dir, topic, partitions: options.partitions, group, paused: flow.paused$ });
  options.signal.addEventListener('abort', () => void source.stop(), { once: true });
  let total = 0;
  try {
    await lastValueFrom(
      loadPipeline({ source, codec: jsonCodec(ClickSchema), sink, flow, batch: { maxCount: 500, maxWaitMs: 200 } }).pipe(
        tap((batch) => options.onBatch?.((total += batch.items.length))),
      ),
      { defaultValue: undefined },
    );
    return total;
  } finally {
    await source.close();
    await warehouse.close();
  }
  // #endregion
}
