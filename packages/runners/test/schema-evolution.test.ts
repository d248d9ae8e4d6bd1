import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { kafkaBootstrap, publishEvents, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { queryEmulatorFile, snowflakeTestEnv, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { OrderEventGenerator } from '@sneakpipe/sneakers';

/** A valid order event of the shop's generator, with these extra fields. */
const generator = new OrderEventGenerator({ seed: 31, start: Date.UTC(2025, 0, 1) });
const order = (extra: Record<string, unknown>) => ({ ...generator.draw()!, ...extra });

/** 300 events with `coupon_code` (text) and `gift` (boolean), one whose coupon is a number, 9 with neither. */
const CLASHING = order({ coupon_code: 42, gift: false });
const EVENTS = [
  ...Array.from({ length: 300 }, () => order({ coupon_code: 'WELCOME10', gift: true, shipped_at: '2026-01-17T08:00:00+01:00' })),
  CLASHING,
  ...Array.from({ length: 9 }, () => order({})),
];

const produce = (topic: string) => publishEvents(topic, EVENTS);

/** Where a run loads, and how the test reads it back. */
interface Target {
  readonly name: string;
  /** The environment of a run that loads into a warehouse of its own, named `name`. */
  env(name: string): Record<string, string>;
  query(name: string, sql: string): Promise<unknown[][]>;
  /** The table, qualified, in `query`'s SQL. */
  table(name: string, table: string): string;
}

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-evolution-'));
const TARGETS: readonly Target[] = [
  {
    name: 'DuckDB',
    env: (name) => ({ SNEAKPIPE_WAREHOUSE: join(dir, `${name}.duckdb`) }),
    query: (name, sql) => queryDuckDbFile(join(dir, `${name}.duckdb`), sql),
    table: (_, table) => `STG.${table}`,
  },
  {
    name: 'Snowflake (emulator)',
    env: (name) => ({ ...snowflakeTestEnv(), SNOWFLAKE_SCHEMA: name }),
    query: async (_, sql) => queryEmulatorFile('RETAIL_LAB', sql),
    table: (name, table) => `${name}.${table}`,
  },
];

describe.each(TARGETS)('consume --schema-evolution into $name', (target) => {
  it('adds typed columns for new fields, loads every event once, keeps a clashing value in EXTRA_FIELDS flagged; without the flag no column', async () => {
    const topic = uniqueTopic('evolve');
    await produce(topic);
    const [on, off] = [uniqueSchema('EVOLVED'), uniqueSchema('PLAIN')];
    const consume = (name: string, ...flags: string[]) =>
      runCli(['consume', ...flags, '--group', `g-${name}`, '--exit-when-idle', '3000', '--metrics-port', '0'], {
        KAFKA_BOOTSTRAP: kafkaBootstrap(),
        KAFKA_TOPIC_NAME: topic,
        ...target.env(name),
      });
    const plain = await consume(off);
    expect(plain.code, plain.stderr).toBe(0);
    const evolved = await consume(on, '--schema-evolution');
    expect(evolved.code, evolved.stderr).toBe(0);
    expect(evolved.stderr).toMatch(/"column":"COUPON_CODE","type":"text","msg":"column added"/);

    expect(await columnNames(target, off)).not.toContain('COUPON_CODE');
    expect((await columnNames(target, on)).slice(-3)).toEqual(['COUPON_CODE', 'GIFT', 'SHIPPED_AT']);

    const t = target.table(on, 'STREAMING_ORDERS');
    const [[rows, ids, welcome, shipped]] = (await target.query(
      on,
      `SELECT COUNT(*), COUNT(DISTINCT EVENT_ID), COUNT(CASE WHEN COUPON_CODE = 'WELCOME10' AND GIFT THEN 1 END),
              COUNT(CASE WHEN SHIPPED_AT = TIMESTAMP '2026-01-17 07:00:00' THEN 1 END) FROM ${t}`,
    )) as [[number, number, number, number]];
    expect([Number(rows), Number(ids), Number(welcome), Number(shipped)]).toEqual([310, 310, 300, 300]);
    const [[coupon, gift, flags, extras]] = (await target.query(
      on,
      `SELECT COUPON_CODE, GIFT, QUALITY_FLAGS, CAST(EXTRA_FIELDS AS VARCHAR) FROM ${t} WHERE EVENT_ID = '${CLASHING.event_id}'`,
    )) as [[unknown, unknown, unknown, string]];
    expect([coupon, gift, flags, JSON.parse(extras)]).toEqual([null, false, 'schema_clash', { coupon_code: 42 }]);
    const [[unflagged]] = (await target.query(on, `SELECT COUNT(*) FROM ${t} WHERE QUALITY_FLAGS IS NULL AND EXTRA_FIELDS IS NULL`)) as [
      [number],
    ];
    expect(Number(unflagged)).toBe(309);

    const shown = await runCli(['schema', '--json'], target.env(on));
    expect(shown.code, shown.stderr).toBe(0);
    const report = JSON.parse(shown.stdout) as {
      added: { column: string; type: string; field: string; addedAt: number }[];
      clashes: { field: string; column: string; rows: number; reason: string }[];
    };
    expect(report.added.map(({ column, type, field }) => ({ column, type, field }))).toEqual([
      { column: 'COUPON_CODE', type: 'text', field: 'coupon_code' },
      { column: 'GIFT', type: 'boolean', field: 'gift' },
      { column: 'SHIPPED_AT', type: 'timestamp', field: 'shipped_at' },
    ]);
    expect(report.clashes).toMatchObject([
      { field: 'coupon_code', column: 'COUPON_CODE', rows: 1, reason: '42 does not fit COUPON_CODE (text)' },
    ]);
  });
});

/** The columns of STREAMING_ORDERS in `name`'s warehouse, in order. */
async function columnNames(target: Target, name: string): Promise<string[]> {
  const schema = target.name === 'DuckDB' ? 'STG' : name;
  const rows = await target.query(
    name,
    `SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = '${schema}' AND TABLE_NAME = 'STREAMING_ORDERS' ORDER BY ORDINAL_POSITION`,
  );
  return rows.map((r) => String(r[0]));
}
