import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InMemoryBroker,
  RowMappingError,
  column,
  consume,
  deadLetterTable,
  defineTable,
  jsonCodec,
  silentLogger,
  summaryLine,
  tableSink,
  type RowOf,
} from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { DuckDbWarehouse } from './duckdb-warehouse.js';

/*
 * A new user's pipeline of their own events, end to end with the real DuckDB:
 * a value that does not fit its column goes to the dead letters with its
 * reason, and a row mapping wrong for every record stops the run at once with
 * an error naming the column, instead of retrying for ever.
 */
const root = mkdtempSync(join(tmpdir(), 'sneakpipe-table-sink-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const View = z.object({ user: z.string(), url: z.string(), ms: z.number() });
type View = z.infer<typeof View>;
const VIEWS = defineTable({
  name: 'VIEWS',
  description: 'Views.',
  columns: [
    column('USER_ID', 'text'),
    column('URL', 'text'),
    column('DURATION_MS', 'integer'),
    column('REFERRER', 'text', { nullable: true }),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});
const REJECTS = deadLetterTable('VIEW_REJECTS');

/** Publishes `views` to a fresh in-process topic and consumes them into a fresh DuckDB file with `row`. */
async function run(name: string, views: readonly View[], row: (view: View) => RowOf<typeof VIEWS>) {
  const path = join(root, `${name}.duckdb`);
  const broker = new InMemoryBroker();
  broker.createTopic('views', 2);
  broker.send(
    'views',
    views.map((v) => ({ key: Buffer.from(v.user), value: Buffer.from(JSON.stringify(v)) })),
  );
  const warehouse = await DuckDbWarehouse.open({ path }, { tables: [VIEWS, REJECTS] });
  const source = broker.consumer({ groupId: 'g', topic: 'views' });
  await source.stop(); // consume to the end of the topic
  const started = Date.now();
  try {
    const sink = tableSink({ warehouse, group: 'g', table: VIEWS, deadLetters: REJECTS, row });
    const summary = await consume({ source, codec: jsonCodec(View), sink, logger: silentLogger });
    return { summary, path, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    return { error, path, seconds: (Date.now() - started) / 1000 };
  } finally {
    await warehouse.close();
  }
}

const views = (n: number, ms: (i: number) => number): View[] =>
  Array.from({ length: n }, (_, i) => ({ user: `u${i % 7}`, url: `/p/${i}`, ms: ms(i) }));
const rightRow = (v: View) => ({ USER_ID: v.user, URL: v.url, DURATION_MS: v.ms });

describe('tableSink() into DuckDB: rows by name, checked against the table', () => {
  it('loads the rows that fit and sends a fraction in an integer column to the dead letters, naming it', async () => {
    const result = await run(
      'fraction',
      views(500, (i) => (i === 7 ? 1.5 : i)),
      rightRow,
    );
    expect(result.error).toBeUndefined();
    expect(result.summary).toMatchObject({ loaded: 499, deadLetters: 1, skipped: 0 });
    expect(await queryDuckDbFile(result.path, 'SELECT COUNT(*)::INT, COUNT(DISTINCT URL)::INT, SUM(DURATION_MS)::INT FROM VIEWS')).toEqual([
      [499, 499, (499 * 500) / 2 - 7],
    ]);
    const [[reason, raw, offset]] = (await queryDuckDbFile(result.path, 'SELECT REASON, decode(RAW), SOURCE_OFFSET FROM VIEW_REJECTS')) as [
      [string, string, unknown],
    ];
    expect(reason).toBe('VIEWS.DURATION_MS: 1.5 is not a 32-bit integer');
    expect(JSON.parse(raw)).toEqual({ user: 'u0', url: '/p/7', ms: 1.5 });
    expect(offset).not.toBeNull();
  });

  it('stops within seconds with one ROW_MAPPING error naming the column when the mapping puts null in a NOT NULL column', async () => {
    const result = await run(
      'null',
      views(500, (i) => i),
      (v) => ({ USER_ID: v.user, URL: null as unknown as string, DURATION_MS: v.ms }),
    );
    expect(result.error).toBeInstanceOf(RowMappingError);
    expect((result.error as Error).message).toMatch(/VIEWS\.URL: null in a NOT NULL column/);
    expect(result.seconds).toBeLessThan(10);
    // Nothing of the refused batch was written: the run stopped before its transaction.
    expect(
      await queryDuckDbFile(result.path, 'SELECT (SELECT COUNT(*) FROM VIEWS)::INT, (SELECT COUNT(*) FROM VIEW_REJECTS)::INT'),
    ).toEqual([[0, 0]]);
  });

  it('loads nothing twice when run again on the same file, and says why it loaded nothing', async () => {
    const all = views(300, (i) => i);
    const first = await run('rerun', all, rightRow);
    const again = await run('rerun', all, rightRow);
    expect(first.summary).toMatchObject({ loaded: 300, skipped: 0 });
    expect(again.summary).toMatchObject({ loaded: 0, deadLetters: 0, skipped: 300 });
    expect(summaryLine(again.summary!)).toMatch(
      /^consumed: 0 loaded, 0 dead letters, 300 already loaded \(skipped: the warehouse had them\)/,
    );
    expect(await queryDuckDbFile(again.path, 'SELECT COUNT(*)::INT, COUNT(DISTINCT URL)::INT FROM VIEWS')).toEqual([[300, 300]]);
  });

  it('stops the same way for a row one column short, naming the missing column', async () => {
    const result = await run(
      'short',
      views(200, (i) => i),
      (v) => ({ USER_ID: v.user, URL: v.url }) as RowOf<typeof VIEWS>,
    );
    expect(result.error).toBeInstanceOf(RowMappingError);
    expect((result.error as Error).message).toMatch(/VIEWS\.DURATION_MS: missing \(NOT NULL column\)/);
  });
});
