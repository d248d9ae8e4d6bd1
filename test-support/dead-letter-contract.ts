import {
  OrderEventSchema,
  countDeadLetters,
  getDeadLetter,
  listDeadLetters,
  orderEventCodec,
  orderEventSink,
  replayDeadLetters,
  type ReceivedOrderEvent,
} from '@sneakpipe/sneakers';
import { jsonCodec, type Decoded, type Warehouse } from '@sneakpipe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodedEvents } from './warehouse-contract.js';

const TOPIC = 'replay-orders';
const encoder = new TextEncoder();

/**
 * The corpus a consumer turned into dead letters: `relaxable` events whose
 * quantity (2,000) today's rule refuses (at most 1,000) and a relaxed rule
 * accepts, and hostile records no rule accepts. Decoded by today's codec,
 * with positions, as the consumer does.
 */
function corpus(relaxable: number): { records: Decoded<ReceivedOrderEvent>[]; hostile: number } {
  const bulk = decodedEvents(relaxable, 9, TOPIC).map((e) => encoder.encode(JSON.stringify({ ...e.value, quantity: 2000 })));
  const hostile = [
    new Uint8Array([0xff, 0xfe, 0x00]),
    encoder.encode('not json'),
    encoder.encode('[1]'),
    encoder.encode('{"order_id":"x"}'),
    encoder.encode(JSON.stringify({ ...decodedEvents(1, 3)[0]!.value, quantity: -1 })),
  ];
  const records = [...bulk, ...hostile].map((raw, offset) => {
    const position = { topic: TOPIC, partition: 0, offset };
    try {
      return { ok: true as const, value: orderEventCodec.decode(raw), sizeBytes: raw.byteLength, position };
    } catch (error) {
      return {
        ok: false as const,
        reason: (error as Error).message,
        raw,
        sizeBytes: raw.byteLength,
        position,
        failedAt: Date.now() - 60_000,
      };
    }
  });
  return { records, hostile: hostile.length };
}

/** Today's rule with the quantity limit raised: what a fix of the rule looks like to a replay. */
const relaxedCodec = jsonCodec(OrderEventSchema.extend({ quantity: z.number().int().min(1).max(1_000_000) }));

const count = async (w: Warehouse, table: string, where = 'TRUE', params: unknown[] = []) =>
  Number((await w.query(`SELECT COUNT(*) AS N FROM ${w.table(table)} WHERE ${where}`, params))[0]!.N);

/**
 * Dead letters read back and replayed exactly once, against a real warehouse
 * (`open` must return one with empty tables): run for DuckDB and for
 * Snowflake through the emulator.
 */
export function describeDeadLetterReplay(name: string, open: () => Promise<Warehouse>): void {
  describe(`dead letters: list, show and replay exactly once (${name})`, () => {
    const RELAXABLE = 40;
    let warehouse: Warehouse;
    let hostile: number;
    beforeAll(async () => {
      warehouse = await open();
      const built = corpus(RELAXABLE);
      hostile = built.hostile;
      expect(built.records.every((r) => !r.ok)).toBe(true);
      await orderEventSink({ warehouse, group: 'replay-test' }).write(built.records);
    }, 120_000);
    afterAll(async () => warehouse?.close());

    it('lists them with counts by reason, filters, and shows one with its exact bytes', async () => {
      const counts = await countDeadLetters(warehouse);
      expect(counts.total).toBe(RELAXABLE + hostile);
      expect(counts.byState).toEqual({ pending: RELAXABLE + hostile, loaded: 0, dead: 0 });
      expect(counts.byReason).toMatchObject({ not_valid_utf_8: 1, invalid_json: 1, schema: RELAXABLE + 3 });
      expect(await listDeadLetters(warehouse, { reason: 'TOO BIG' }, 1000)).toHaveLength(RELAXABLE);
      expect(await listDeadLetters(warehouse, { topic: TOPIC, partition: 0 }, 5)).toHaveLength(5);
      expect(await listDeadLetters(warehouse, { since: Date.now() + 3_600_000 })).toHaveLength(0);
      const shown = await getDeadLetter(warehouse, `${TOPIC}:0:${RELAXABLE}`);
      expect(shown).toMatchObject({ reason: 'not valid UTF-8', topic: TOPIC, partition: 0, offset: RELAXABLE, state: 'pending' });
      expect([...shown!.raw]).toEqual([0xff, 0xfe, 0x00]);
      expect(await getDeadLetter(warehouse, 'no-such-id')).toBeUndefined();
    });

    it('a dry run decides without writing', async () => {
      const dry = await replayDeadLetters({ warehouse, codec: relaxedCodec, dryRun: true });
      expect(dry).toMatchObject({ considered: RELAXABLE + hostile, loaded: RELAXABLE, stillDead: hostile });
      expect(await count(warehouse, 'STREAMING_ORDERS')).toBe(0);
      expect(await count(warehouse, 'DEAD_LETTER_REPLAYS')).toBe(0);
    });

    it('a replay that fails half-way, two replays at once, and one more: every now-valid record loads exactly once', async () => {
      // A warehouse lost after its first successful batch: the replay tries again, gives up and dies half-way, as in a crash.
      let appends = 0;
      const failing: Warehouse = Object.create(warehouse, {
        append: {
          value: (load: Parameters<Warehouse['append']>[0]) =>
            appends++ >= 1 ? Promise.reject(new Error('connection lost')) : warehouse.append(load),
        },
      });
      const retry = { initialDelayMs: 1, maxAttempts: 3 };
      await expect(replayDeadLetters({ warehouse: failing, codec: relaxedCodec, batchSize: 10, retry })).rejects.toThrow('connection lost');
      expect(appends).toBe(1 + retry.maxAttempts);
      const afterCrash = await count(warehouse, 'STREAMING_ORDERS');
      expect(afterCrash).toBeGreaterThan(0);
      expect(afterCrash).toBeLessThan(RELAXABLE);

      const [a, b] = await Promise.all([
        replayDeadLetters({ warehouse, codec: relaxedCodec, batchSize: 7 }),
        replayDeadLetters({ warehouse, codec: relaxedCodec, batchSize: 7 }),
      ]);
      expect(afterCrash + a.loaded + b.loaded).toBe(RELAXABLE);
      const again = await replayDeadLetters({ warehouse, codec: relaxedCodec });
      expect(again).toMatchObject({ loaded: 0, stillDead: hostile });

      expect(await count(warehouse, 'STREAMING_ORDERS')).toBe(RELAXABLE);
      const distinct = await warehouse.query(`SELECT COUNT(DISTINCT EVENT_ID) AS N FROM ${warehouse.table('STREAMING_ORDERS')}`);
      expect(Number(distinct[0]!.N)).toBe(RELAXABLE);
      expect(await count(warehouse, 'STREAMING_ORDERS', 'QUANTITY = 2000 AND KAFKA_PARTITION = 0')).toBe(RELAXABLE);
      // Marked, not deleted: the history stays.
      expect(await count(warehouse, 'DEAD_LETTERS')).toBe(RELAXABLE + hostile);
      const counts = await countDeadLetters(warehouse);
      expect(counts.byState).toEqual({ pending: 0, loaded: RELAXABLE, dead: hostile });
      const stillDead = await listDeadLetters(warehouse, { state: 'dead' });
      expect(stillDead.some((d) => d.reason.includes('quantity'))).toBe(true);
      const loaded = await getDeadLetter(warehouse, `${TOPIC}:0:0`);
      expect(loaded?.state).toBe('loaded');
      expect(loaded?.replays.filter((r) => r.result === 'loaded')).toHaveLength(1);
    });
  });
}
