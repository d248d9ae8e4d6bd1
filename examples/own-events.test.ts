import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { kafkaBootstrap } from '@sneakpipe/test-support/kafka';
import { installPacked } from '@sneakpipe/test-support/packed-install';

const run = promisify(execFile);
const EXAMPLE = fileURLToPath(new URL('./own-events.ts', import.meta.url));
const EVENTS = 10_000;

// Node 24 runs the example's .ts file as it is (type stripping). The suite runs on it (scripts/test.sh); any other line fetches it.
const nodeBin24 = () =>
  execFileSync('bash', ['infra/node.sh', '24'], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
const NODE = process.versions.node.startsWith('24.') ? process.execPath : join(nodeBin24().trim(), 'node');

// A second run regenerates the same events and must say it loaded none (the in-process broker hands them all out
// again, to be skipped; a Kafka group resumes where the warehouse stands, past them).
const NOTHING_NEW = /^0 page views loaded, 0 rejected, \d+ already loaded$/m;

/**
 * The example as a user has it: alone in a project of their own, with only
 * the library set installed from the packed packages (core + connectors, their
 * peers, the DuckDB driver and the default Kafka client's) — no sneakers, no
 * runners, nothing of the monorepo.
 */
let project: string;
beforeAll(async () => {
  expect(existsSync(EXAMPLE), 'examples/own-events.ts').toBe(true);
  ({ dir: project } = await installPacked(['core', 'connectors'], ['rxjs', 'zod', '@duckdb/node-api', '@platformatic/kafka']));
  copyFileSync(EXAMPLE, join(project, 'own-events.ts'));
}, 300_000);

/** Runs `node own-events.ts --events N --warehouse FILE …` in the project, in New York time (times must still be stored in UTC); resolves with its stdout. */
async function runExample(file: string, extra: readonly string[]): Promise<string> {
  const args = ['own-events.ts', '--events', String(EVENTS), '--warehouse', file, ...extra];
  const { stdout } = await run(NODE, args, { cwd: project, env: { ...process.env, TZ: 'America/New_York' }, timeout: 180_000 });
  return stdout;
}

/** What the file holds, read by a DuckDB of the test's own (read-only), wherever the example put its schema. */
async function contents(file: string): Promise<{ views: number; rejects: number; lastLoadedMs: number }> {
  const [[schema]] = (await queryDuckDbFile(
    file,
    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'PAGE_VIEWS'",
  )) as [[string]];
  const s = `"${schema}"`;
  const [[views, rejects, lastLoadedMs]] = (await queryDuckDbFile(
    file,
    `SELECT (SELECT COUNT(*)::INT FROM ${s}.PAGE_VIEWS), (SELECT COUNT(*)::INT FROM ${s}.PAGE_VIEW_REJECTS),
            (SELECT epoch_ms(MAX(LOADED_AT))::DOUBLE FROM ${s}.PAGE_VIEWS)`,
  )) as [[number, number, number]];
  return { views, rejects, lastLoadedMs };
}

/** Every event lands once, as a row or a reject; a second run of the same events adds nothing. */
async function loadsEachEventOnce(file: string, extra: readonly string[] = []): Promise<void> {
  await runExample(file, extra);
  const loaded = await contents(file);
  expect(loaded.views + loaded.rejects).toBe(EVENTS);
  // About 1 % of the events are made invalid.
  expect(loaded.rejects).toBeGreaterThanOrEqual(EVENTS * 0.001);
  expect(loaded.rejects).toBeLessThanOrEqual(EVENTS * 0.05);
  // LOADED_AT is UTC (a timestamp without time zone): in New York time it would be 4 or 5 hours off.
  expect(Math.abs(Date.now() - loaded.lastLoadedMs)).toBeLessThan(10 * 60_000);

  // Exactly once by positions: the stored positions cover the same events, so none loads again.
  expect(await runExample(file, extra)).toMatch(NOTHING_NEW);
  expect(await contents(file)).toEqual(loaded);
}

describe('a pipeline of your own from the packed library set (examples/own-events.ts)', () => {
  it('with the in-process broker: each page view loads once, rejects apart, LOADED_AT in UTC', async () => {
    await loadsEachEventOnce(join(project, 'in-process.duckdb'));
  }, 300_000);

  // Needs the real broker (npm run infra:up).
  it('with the real Kafka broker (--brokers): the same', async () => {
    // A topic of this run's own: the broker outlives the test, and the group's committed offsets with it.
    await loadsEachEventOnce(join(project, 'kafka.duckdb'), ['--brokers', kafkaBootstrap(), '--topic', `page-views-${Date.now()}`]);
  }, 300_000);
});
