import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql, quoteIdentifier } from '@sneakpipe/connectors/duckdb';
import { LOAD_POSITIONS } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, isValidLifecycle, type EventType } from '@sneakpipe/sneakers';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile as readFile } from '@sneakpipe/test-support/duckdb';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sneakpipe demo (end to end, real CLI process)', () => {
  it('runs in low-memory mode when asked, and says so', async () => {
    const asked = await runCli(['demo', '--events', '2000', '--warehouse', join(dir, 'low.duckdb'), '--low-memory']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toMatch(/rows loaded\s+2,000/);
    expect(asked.stderr).toMatch(/low-memory mode/);
    const byEnv = await runCli(['demo', '--events', '10', '--warehouse', join(dir, 'low-env.duckdb')], { SNEAKPIPE_LOW_MEMORY: 'true' });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(byEnv.stderr).toMatch(/low-memory mode/);
    const normal = await runCli(['demo', '--events', '10', '--warehouse', join(dir, 'normal.duckdb')]);
    expect(normal.code, normal.stderr).toBe(0);
    expect(normal.stderr).not.toMatch(/low-memory mode/);
  });

  it('loads every produced event into the DuckDB file, with no dead letters, and prints the summary', async () => {
    const warehouse = join(dir, 'demo.duckdb');
    const result = await runCli(['demo', '--events', '5000', '--warehouse', warehouse, '--seed', '7']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/events produced\s+5,000/);
    expect(result.stdout).toMatch(/rows loaded\s+5,000/);
    expect(result.stdout).toMatch(/dead letters\s+0\b/);
    expect(result.stdout).toMatch(/Top 5 brands by revenue/);
    expect(result.stdout).toMatch(/Nike/);
    // Independent check: open the file ourselves.
    const [[rows, distinct]] = (await readFile(warehouse, 'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS')) as [
      [bigint, bigint],
    ];
    expect(rows).toBe(5000n);
    expect(distinct).toBe(5000n);
    expect(await readFile(warehouse, 'SELECT COUNT(*) FROM STG.DEAD_LETTERS')).toEqual([[0n]]);
    // Each order's events sit in one partition, in lifecycle order by offset.
    const orders = (await readFile(
      warehouse,
      `SELECT ORDER_ID, COUNT(DISTINCT KAFKA_PARTITION), list(EVENT_TYPE ORDER BY KAFKA_OFFSET) FROM STG.STREAMING_ORDERS GROUP BY 1`,
    )) as [bigint, bigint, EventType[]][];
    expect(orders.length).toBeGreaterThan(500);
    for (const [orderId, partitions, types] of orders) {
      expect(partitions, String(orderId)).toBe(1n);
      expect(isValidLifecycle(types), `${orderId}: ${types.join(' > ')}`).toBe(true);
    }
  });

  it('generates and loads on threads of their own, as built: the producer and DuckDB never fall back to the main thread', async () => {
    const result = await runCli(['demo', '--events', '2000', '--warehouse', join(dir, 'threads.duckdb')]);
    expect(result.code, result.stderr).toBe(0);
    const finished = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'demo finished');
    expect(finished, result.stderr).toMatchObject({ loaded: 2000, producerOnOwnThread: true, duckdbOnOwnThread: true });
  });

  it('is idempotent: the same seed replayed into the same file adds no rows (its positions are stored)', async () => {
    const warehouse = join(dir, 'replay.duckdb');
    const first = await runCli(['demo', '--events', '2000', '--warehouse', warehouse, '--seed', '3']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/rows loaded\s+2,000/);
    expect(first.stdout).toMatch(/rows in warehouse\s+2,000/);
    const again = await runCli(['demo', '--events', '2000', '--warehouse', warehouse, '--seed', '3']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/rows loaded\s+0 \s*\(2,000 already in the warehouse, skipped\)/);
    expect(again.stdout).toMatch(/rows in warehouse\s+2,000/);
    expect(await readFile(warehouse, 'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS')).toEqual([[2000n, 2000n]]);
  });

  it('loads into a file written by an earlier version (RETAIL_LAB.STG, local-time defaults), in UTC under TZ=America/New_York', async () => {
    const warehouse = join(dir, 'earlier.duckdb');
    // The tables as earlier versions created them: the same, but with load times defaulting to the local time.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`ATTACH '${warehouse}' AS RETAIL_LAB`);
    await c.run('CREATE SCHEMA RETAIL_LAB.STG');
    for (const table of [...WAREHOUSE_TABLES, LOAD_POSITIONS]) {
      let ddl = createTableSql(`RETAIL_LAB.STG.${quoteIdentifier(table.name)}`, table);
      for (const { name } of table.columns.filter((column) => column.default === 'now')) {
        ddl = ddl.replace(`${quoteIdentifier(name)} TIMESTAMP`, `${quoteIdentifier(name)} TIMESTAMP DEFAULT current_localtimestamp()`);
      }
      await c.run(ddl);
    }
    await c.run(`INSERT INTO RETAIL_LAB.STG.LOAD_POSITIONS VALUES ('earlier-group', 'sneaker-orders', 0, 42, '2025-01-01 10:00:00')`);
    c.closeSync();
    db.closeSync();

    const result = await runCli(['demo', '--events', '1000', '--warehouse', warehouse, '--seed', '11'], { TZ: 'America/New_York' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/rows loaded\s+1,000/);
    const [[rows, loadedAt, updatedAt, kept]] = (await readFile(
      warehouse,
      `SELECT (SELECT COUNT(*) FROM STG.STREAMING_ORDERS), (SELECT epoch_ms(MAX(PROCESSED_AT)) FROM STG.STREAMING_ORDERS),
              (SELECT epoch_ms(MAX(UPDATED_AT)) FROM STG.LOAD_POSITIONS WHERE CONSUMER_GROUP <> 'earlier-group'),
              (SELECT NEXT_OFFSET FROM STG.LOAD_POSITIONS WHERE CONSUMER_GROUP = 'earlier-group')`,
    )) as [[bigint, bigint, bigint, bigint]];
    expect(rows).toBe(1000n);
    expect(kept).toBe(42n);
    // UTC: New York's wall clock would be 4 or 5 hours behind.
    for (const ms of [loadedAt, updatedAt]) expect(Math.abs(Date.now() - Number(ms))).toBeLessThan(5 * 60_000);
    const defaults = (
      await readFile(
        warehouse,
        "SELECT DISTINCT column_default FROM duckdb_columns() WHERE column_name = 'PROCESSED_AT' OR (table_name = 'LOAD_POSITIONS' AND column_name = 'UPDATED_AT')",
      )
    ).flat();
    // Dropped: loads set these columns, and DuckDB cannot replay a log that altered a table with a function default.
    expect(defaults).toEqual([null]);
  });

  it('stops on a bad setting with exit code 2 and one line naming it', async () => {
    const result = await runCli(['demo', '--events', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['sneakpipe: invalid setting --events: expected a positive integer; got "lots"']);
    const rate = await runCli(['demo', '--rate', '-5']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--rate/);
    const level = await runCli(['--log-level', 'loud', 'demo', '--events', '1']);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/--log-level/);
  });

  it('logs JSON lines when not on a terminal, readable lines with --log-format pretty, and refuses an unknown format', async () => {
    const run = (...format: string[]) =>
      runCli([...format, 'demo', '--events', '200', '--warehouse', join(dir, `format-${format.join('') || 'auto'}.duckdb`)]);
    const lines = (r: { stderr: string }) => r.stderr.split('\n').filter((l) => l.includes('demo starting'));
    const auto = await run();
    expect(auto.code, auto.stderr).toBe(0);
    expect(lines(auto).length).toBeGreaterThan(0);
    for (const line of lines(auto)) expect(JSON.parse(line)).toMatchObject({ service: 'sneakpipe' });
    const pretty = await run('--log-format', 'pretty');
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(lines(pretty).length).toBeGreaterThan(0);
    for (const line of lines(pretty)) expect(line).toMatch(/^\S*\[\d\d:\d\d:\d\d\.\d{3}\]/);
    const bad = await runCli(['--log-format', 'xml', 'demo', '--events', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'sneakpipe: invalid setting --log-format: expected one of auto, json, pretty; got "xml"',
    ]);
  });

  it('has --help on the program and on every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/demo/);
    const listed = (help: string) =>
      [...(help.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([\w-]+)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    const commands = listed(top.stdout).map((c) => [c]);
    expect(commands.length).toBeGreaterThan(6);
    for (let i = 0; i < commands.length; i++) {
      const help = await runCli([...commands[i]!, '--help']);
      expect(help.code, commands[i]!.join(' ')).toBe(0);
      expect(help.stdout, commands[i]!.join(' ')).toMatch(new RegExp(`Usage: sneakpipe ${commands[i]!.join(' ')}`));
      // Subcommands (dead-letters list, show, replay) have theirs too.
      commands.push(...listed(help.stdout).map((sub) => [...commands[i]!, sub]));
    }
    expect(commands.map((c) => c.join(' '))).toEqual(expect.arrayContaining(['dead-letters replay', 'status', 'report daily']));
  });
});

describe('operator-friendly output', () => {
  it('an unreachable broker: one short line per retry naming the cause at info level, the full error only at debug', async () => {
    const run = async (level: string) => {
      const consumer = startCli(['consume', '--brokers', '127.0.0.1:1', '--warehouse', join(dir, `unreachable-${level}.duckdb`)], {
        SNEAKPIPE_LOG_LEVEL: level,
      });
      await consumer.waitFor(/"attempt":2/, 60_000);
      consumer.child.kill('SIGTERM');
      const stopped = await consumer.done;
      // Stopped while it retries: it gives up the retries and exits cleanly.
      expect(stopped.code, stopped.stderr.slice(-2000)).toBe(0);
      return stopped.stderr.split('\n').filter(Boolean);
    };
    const info = await run('info');
    const retries = info.filter((l) => l.includes('connecting to Kafka failed, retrying'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    for (const line of retries) expect(line).toMatch(/cannot reach broker 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    expect(Math.max(...info.map((l) => l.length))).toBeLessThanOrEqual(400);
    const debug = await run('debug');
    expect(debug.some((l) => l.includes('"stack"') && l.includes('(full error)'))).toBe(true);
  });
});
