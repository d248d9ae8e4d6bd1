import { readFileSync } from 'node:fs';
import { column, defineTable, positionedSink, type TableSpec } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { snowflakeStreamingTestConnection, streamingFaults, streamingServerState, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { SnowflakeWarehouse } from '../snowflake-warehouse.js';
import { KeyPairJwt } from './key-pair-jwt.js';
import { ndjsonRows } from './ndjson-rows.js';
import { openStreamingWarehouse } from './open-streaming-warehouse.js';
import { StreamingApi } from './streaming-api.js';
import { channelName, defaultPipe, type StreamingWarehouse } from './streaming-warehouse.js';
import { gzipSync } from 'node:zlib';

/*
 * The Snowpipe Streaming load method against the test server that speaks its REST API (infra/snowpipe-streaming),
 * on the cases its exactly-once rests on: rows a dead writer committed before its position, a second member's claim,
 * an append whose answer is lost, and rows Snowflake skips.
 */
const EVENTS = defineTable({ name: 'EVENTS', description: 'Events.', columns: [column('ID', 'text'), column('N', 'bigint')] });
type Event = { id: string; position: { topic: string; partition: number; offset: number } };
const events = (topic: string, from: number, to: number): Event[] =>
  Array.from({ length: to - from }, (_, i) => ({ id: `${topic}-${from + i}`, position: { topic, partition: 0, offset: from + i } }));
const rows = (batch: readonly Event[]) => [{ table: EVENTS, rows: batch.map((e) => [e.id, e.position.offset]) }];

const opened: StreamingWarehouse[] = [];
async function open(schema: string, tables: readonly TableSpec[] = [EVENTS]): Promise<StreamingWarehouse> {
  const warehouse = await openStreamingWarehouse(snowflakeStreamingTestConnection(schema), tables);
  opened.push(warehouse);
  return warehouse;
}
afterAll(async () => {
  await streamingFaults({ reset: true });
  await Promise.all(opened.map((w) => w.close()));
});

async function stored(warehouse: StreamingWarehouse): Promise<{ rows: number; distinct: number }> {
  const [r] = await warehouse.query(`SELECT COUNT(*) AS N, COUNT(DISTINCT ID) AS D FROM ${warehouse.table('EVENTS')}`);
  return { rows: Number(r!.N), distinct: Number(r!.D) };
}

describe('Snowpipe Streaming load method (test server)', () => {
  it('rows a dead writer committed before its position are kept once: the replayed batch is cut where they stop', async () => {
    const schema = uniqueSchema('SPS_CUT');
    const warehouse = await open(schema);
    const topic = `cut-${Date.now()}`;
    // The dead writer: its rows of records 0–5 committed on the table's channel, its position never appended.
    const connection = snowflakeStreamingTestConnection(schema);
    const api = new StreamingApi({
      url: connection.streamingUrl!,
      jwt: new KeyPairJwt({
        account: connection.account,
        user: connection.username,
        privateKey: readFileSync(connection.streamingPrivateKeyPath!, 'utf8'),
      }),
    });
    const address = { database: 'RETAIL_LAB', schema, pipe: defaultPipe('EVENTS'), channel: channelName('g', topic, 0) };
    const { continuationToken } = await api.open(address);
    await api.append(address, continuationToken, '6', gzipSync(ndjsonRows(EVENTS, rows(events(topic, 0, 6))[0]!.rows, Date.now())));
    for (let i = 0; i < 100 && (await api.status(address, [address.channel])).get(address.channel)?.committedToken !== '6'; i++)
      await new Promise((r) => setTimeout(r, 50));

    const sink = positionedSink<Event>({ warehouse, group: 'g', rows });
    expect(await sink.resume(topic, [0])).toEqual(new Map());
    await sink.write(events(topic, 0, 10));
    expect(await stored(warehouse)).toEqual({ rows: 10, distinct: 10 });
    expect(await warehouse.positions('g', topic, [0])).toEqual(new Map([[0, 10]]));
    expect(sink.skipped).toBe(0);
  });

  it("a second member's claim fences the first: the first's append is refused, and every record lands once", async () => {
    const schema = uniqueSchema('SPS_FENCE');
    const [first, second] = [await open(schema), await open(schema)];
    const topic = `fence-${Date.now()}`;
    const refusedBefore = (await streamingServerState()).counters as { requests: Record<string, number> };
    const a = positionedSink<Event>({ warehouse: first, group: 'g', rows });
    const b = positionedSink<Event>({ warehouse: second, group: 'g', rows });
    await a.resume(topic, [0]);
    await a.write(events(topic, 0, 5));
    await b.resume(topic, [0]); // the partition moves: the first member's channels are fenced
    await b.write(events(topic, 5, 8));
    await a.write(events(topic, 0, 10)); // the first member, not told yet, goes on with what it fetched
    await b.write(events(topic, 5, 12));
    const refusedAfter = (await streamingServerState()).counters as { requests: Record<string, number> };
    expect((refusedAfter.requests['append 400'] ?? 0) - (refusedBefore.requests['append 400'] ?? 0)).toBeGreaterThan(0);
    expect(await stored(first)).toEqual({ rows: 12, distinct: 12 });
    expect(await first.positions('g', topic, [0])).toEqual(new Map([[0, 12]]));
  });

  it('an append whose answer is lost is not repeated blindly: the next attempt finds what committed, and loads the rest once', async () => {
    const schema = uniqueSchema('SPS_LOST');
    const warehouse = await open(schema);
    const topic = `lost-${Date.now()}`;
    const sink = positionedSink<Event>({ warehouse, group: 'g', rows });
    await sink.resume(topic, [0]);
    await streamingFaults({ dropResponses: 1 });
    const error = await sink.write(events(topic, 0, 50)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WAREHOUSE_UNAVAILABLE', retriable: true });
    await sink.write(events(topic, 0, 50)); // what the load operator does: the same batch again
    expect(await stored(warehouse)).toEqual({ rows: 50, distinct: 50 });
  });

  it('rows Snowflake skips (a value it cannot load) stop the load with WAREHOUSE_REJECTED and its message', async () => {
    const schema = uniqueSchema('SPS_SKIP');
    const strict = await SnowflakeWarehouse.open(snowflakeStreamingTestConnection(schema), { tables: [EVENTS] });
    await strict.close();
    // The same table said nullable on the loader's side: the NULL reaches Snowflake, which skips the row.
    const loose = defineTable({ ...EVENTS, columns: [column('ID', 'text', { nullable: true }), column('N', 'bigint')] });
    const warehouse = await open(schema, [loose]);
    const error = await warehouse
      .append({
        tables: [{ table: loose, rows: [[null, 1]] }],
        group: 'g',
        positions: [{ topic: 'skip', partition: 0, from: null, to: 1 }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WAREHOUSE_REJECTED', retriable: false });
    expect(String(error)).toMatch(/skipped 1 row.*NULL/);
  });
});
