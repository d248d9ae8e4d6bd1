import { unlinkSync } from 'node:fs';
import { InMemoryBroker } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { filesToDuckDb } from './files-to-duckdb.js';

// The contract's own imports and helpers are in its region: docs/library.md quotes it as a module that compiles alone.
// #region source-contract
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSourceContract } from '@sneakpipe/core/testing';
import { afterAll } from 'vitest';
import { JsonLinesSource } from './custom-source.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-custom-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Appends records to the files of a JSON-lines topic, a key always to the same partition. */
function appendRecords(topicDir: string, topic: string, partitions: number, records: readonly { key: string; value: unknown }[]): void {
  for (const { key, value } of records) {
    const partition = [...key].reduce((h, c) => h + c.charCodeAt(0), 0) % partitions;
    appendFileSync(JsonLinesSource.file(topicDir, topic, partition), `${JSON.stringify({ key, value })}\n`);
  }
}

let topics = 0;
describeSourceContract('JsonLinesSource (examples/custom-source.ts)', {
  async create(records) {
    const storage = join(dir, `contract-${topics++}`);
    mkdirSync(storage);
    appendRecords(
      storage,
      'events',
      3,
      records.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown })),
    );
    return storage;
  },
  open: (storage, { group, paused }) => new JsonLinesSource({ dir: storage, topic: 'events', partitions: 3, group, paused, pollMs: 20 }),
});
// #endregion

// The suite holds the in-process broker to the same contract: it is what the suite is measured against.
const broker = new InMemoryBroker();
describeSourceContract('InMemoryBroker consumer', {
  async create(records) {
    const topic = `contract-${topics++}`;
    broker.createTopic(topic, 3);
    broker.send(
      topic,
      records.map((r) => ({ key: Buffer.from(r.key), value: Buffer.from(r.value) })),
    );
    return topic;
  },
  open: (topic, { group, paused }) => broker.consumer({ groupId: group, topic, paused }),
});

describe('generic pipeline: custom source → loadPipeline → positionedSink → DuckDB (examples/files-to-duckdb.ts)', () => {
  const clicks = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      key: `user-${(from + i) % 7}`,
      value: { id: `c${from + i}`, page: '/shop', at: 1_700_000_000_000 + i },
    }));

  /** Runs the pipeline until it has loaded `expected` records in all, then aborts it as SIGTERM would. */
  async function runUntil(options: { topicDir: string; path: string }, expected: number): Promise<number> {
    const stop = new AbortController();
    return filesToDuckDb({
      dir: options.topicDir,
      topic: 'clicks',
      partitions: 3,
      group: 'loader',
      path: options.path,
      signal: stop.signal,
      onBatch: (total) => total >= expected && stop.abort(),
    });
  }

  it('loads valid clicks and rejects the rest with a reason; a source that replays adds no row twice', async () => {
    const topicDir = join(dir, 'clicks');
    mkdirSync(topicDir);
    const path = join(dir, 'clicks.duckdb');
    appendRecords(topicDir, 'clicks', 3, [...clicks(0, 1_500), { key: 'user-1', value: { id: '', page: '/', at: -1 } }]);
    expect(await runUntil({ topicDir, path }, 1_501)).toBe(1_501);

    // The source loses its committed offsets and replays everything, plus 200 new clicks: only those are new rows.
    unlinkSync(join(topicDir, 'loader.offsets.json'));
    appendRecords(topicDir, 'clicks', 3, clicks(1_500, 200));
    expect(await runUntil({ topicDir, path }, 1_701)).toBe(1_701);

    const [[rows, distinct]] = (await queryDuckDbFile(path, 'SELECT COUNT(*)::INT, COUNT(DISTINCT CLICK_ID)::INT FROM CLICKS')) as [
      [number, number],
    ];
    expect([rows, distinct]).toEqual([1_700, 1_700]);
    const rejected = (await queryDuckDbFile(path, 'SELECT REASON FROM REJECTED_CLICKS')) as [string][];
    expect(rejected).toHaveLength(1);
    expect(rejected[0]![0]).toMatch(/id|at/);
  });
});
