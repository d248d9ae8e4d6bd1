import {
  CUSTOMERS,
  OrderEventGenerator,
  orderEventSink,
  orderEventTables,
  type OrderEvent,
  type ReceivedOrderEvent,
} from '@sneakpipe/sneakers';
import { nextOffsets, PositionConflictError, type Decoded, type ValidRecord, type Warehouse } from '@sneakpipe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Decoded events with positions, as a consumer hands them to a warehouse. */
export function decodedEvents(n: number, seed = 1, topic = 'sneaker-orders'): ValidRecord<OrderEvent>[] {
  const generator = new OrderEventGenerator({ seed, start: Date.UTC(2025, 0, 1), customers: 200 });
  return Array.from({ length: n }, (_, i) => ({
    ok: true as const,
    value: generator.draw()!,
    sizeBytes: 300,
    position: { topic, partition: i % 3, offset: Math.floor(i / 3) },
  }));
}

const count = async (w: Warehouse, table: string, where = 'TRUE', params: unknown[] = []) =>
  Number((await w.query(`SELECT COUNT(*) AS N FROM ${w.table(table)} WHERE ${where}`, params))[0]!.N);

let topics = 0;
/** A topic name no other case of the suite uses, so each case has positions of its own. */
const freshTopic = () => `contract-${process.pid}-${topics++}`;

/**
 * The behaviour every `Warehouse` must have, run against each implementation
 * (DuckDB, Snowflake through the emulator, and any custom one). `open` must
 * return a warehouse with empty tables.
 */
export function describeWarehouseContract(name: string, open: () => Promise<Warehouse>, options: { rows?: number } = {}): void {
  const rows = options.rows ?? 1_000;
  describe(`Warehouse contract: ${name}`, () => {
    let warehouse: Warehouse;
    beforeAll(async () => {
      warehouse = await open();
    });
    afterAll(async () => warehouse?.close());

    it('creates its tables and the positions table, and creating them again changes nothing', async () => {
      await warehouse.init();
      for (const table of ['STREAMING_ORDERS', 'DEAD_LETTERS', 'CUSTOMERS', 'INVENTORY', 'ORDERS', 'LOAD_POSITIONS']) {
        expect(await count(warehouse, table), table).toBe(0);
      }
    });

    it('appends rows and advances positions in one load; the tables are append-only (the same rows twice are two rows)', async () => {
      const topic = freshTopic();
      const batch = decodedEvents(rows, 1, topic);
      const next = nextOffsets(batch);
      const positions = next.map((p) => ({ topic, partition: p.partition, from: null, to: p.offset }));
      await warehouse.append({ tables: orderEventTables(batch), group: 'g', positions });
      expect(await warehouse.positions('g', topic)).toEqual(new Map(next.map((p) => [p.partition, p.offset])));
      expect(await warehouse.positions('other-group', topic)).toEqual(new Map());
      await warehouse.append({ tables: orderEventTables(batch.slice(0, 10)) });
      const [r] = await warehouse.query(
        `SELECT COUNT(*) AS N, COUNT(DISTINCT EVENT_ID) AS D FROM ${warehouse.table('STREAMING_ORDERS')} WHERE KAFKA_OFFSET IS NOT NULL`,
      );
      expect(Number(r!.D)).toBeGreaterThanOrEqual(rows);
      expect(Number(r!.N) - Number(r!.D)).toBe(10);
    });

    it('refuses a load whose expected position is not the stored one, writing nothing of it', async () => {
      const topic = freshTopic();
      const [first, second] = [decodedEvents(3, 2, topic), decodedEvents(3, 3, topic)];
      await warehouse.append({ tables: orderEventTables(first), group: 'g', positions: [{ topic, partition: 0, from: null, to: 5 }] });
      const before = await count(warehouse, 'STREAMING_ORDERS');
      const stale = { tables: orderEventTables(second), group: 'g', positions: [{ topic, partition: 0, from: 2, to: 9 }] };
      const error = await warehouse.append(stale).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PositionConflictError);
      expect((error as PositionConflictError).conflicts).toEqual([{ topic, partition: 0, expected: 2, stored: 5 }]);
      const racing = { tables: orderEventTables(second), group: 'g', positions: [{ topic, partition: 0, from: null, to: 9 }] };
      await expect(warehouse.append(racing)).rejects.toBeInstanceOf(PositionConflictError);
      expect(await count(warehouse, 'STREAMING_ORDERS')).toBe(before);
      expect(await warehouse.positions('g', topic)).toEqual(new Map([[0, 5]]));
    });

    it('two loads at the same time that both expect no stored position: exactly one is written', async () => {
      const topic = freshTopic();
      const load = (seed: number) => ({
        tables: orderEventTables(decodedEvents(3, seed, topic)),
        group: 'racers',
        positions: [{ topic, partition: 0, from: null, to: 3 }],
      });
      const results = await Promise.allSettled([warehouse.append(load(11)), warehouse.append(load(12))]);
      // The loser is refused (a PositionConflictError, or on the emulator sometimes DuckDB's write conflict): either way nothing of it is written.
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await warehouse.positions('racers', topic)).toEqual(new Map([[0, 3]]));
      expect(await count(warehouse, 'STREAMING_ORDERS', 'KAFKA_OFFSET IS NOT NULL AND EVENT_ID IN (?, ?, ?, ?, ?, ?)', [
        ...decodedEvents(3, 11, topic),
        ...decodedEvents(3, 12, topic),
      ].map((e) => e.value.event_id))).toBe(3);
    });

    it('through positionedSink: replays, duplicated batches and a second writer on the same partitions load every record once', async () => {
      const topic = freshTopic();
      const batch = decodedEvents(rows, 4, topic);
      const a = orderEventSink({ warehouse, group: 'loaders' });
      const zombie = orderEventSink({ warehouse, group: 'loaders' });
      await zombie.resume(topic); // it read the positions before the other member loaded anything
      await a.write(batch.slice(0, rows / 2));
      await a.write(batch.slice(0, rows / 2)); // a replay after a crash
      await zombie.write(batch.slice(0, (3 * rows) / 4)); // a member that lost the partitions and still loads
      await a.write(batch); // the new owner continues
      const [r] = await warehouse.query(
        `SELECT COUNT(*) AS N, COUNT(DISTINCT EVENT_ID) AS D FROM ${warehouse.table('STREAMING_ORDERS')} WHERE KAFKA_OFFSET IS NOT NULL AND EVENT_ID IN (${batch
          .map(() => '?')
          .join(',')})`,
        batch.map((b) => b.value.event_id),
      );
      expect(Number(r!.N)).toBe(rows);
      expect(Number(r!.D)).toBe(rows);
      expect(a.skipped + zombie.skipped).toBe(rows / 2 + rows / 2 + (3 * rows) / 4);
    });

    it('stores quotes, unicode, emoji and SQL-looking text verbatim, with money to the cent, flags, extra fields and the source position', async () => {
      const tricky = [
        `O'Brien "the quote"`,
        'Zoë Ångström-Łukasz 東京',
        'Ana 👟🔥',
        "Robert'); DROP TABLE STREAMING_ORDERS;--",
        '\\ back\\slash %_',
      ];
      const [base] = decodedEvents(1, 777);
      const batch: Decoded<ReceivedOrderEvent>[] = tricky.map((name, i) => ({
        ...base!,
        value: {
          ...base!.value,
          event_id: `tricky-${i}`,
          customer_name: name,
          model: 'Air Max 90',
          unit_price: 119.99,
          quantity: 3,
          total_amount: 300,
          discount_code: `WELCOME'${i}`,
          nested: { tags: ['a', 'é'] },
        },
        position: { topic: 'sneaker-orders', partition: 2, offset: 1_000_000 + i },
      }));
      await warehouse.append({ tables: orderEventTables(batch) });
      const got = await warehouse.query(
        `SELECT EVENT_ID, CUSTOMER_NAME, UNIT_PRICE, TOTAL_AMOUNT, KAFKA_PARTITION, KAFKA_OFFSET, TIMESTAMP, PROCESSED_AT, QUALITY_FLAGS, CAST(EXTRA_FIELDS AS VARCHAR) AS EXTRA FROM ${warehouse.table('STREAMING_ORDERS')} WHERE EVENT_ID LIKE ? ORDER BY EVENT_ID`,
        ['tricky-%'],
      );
      expect(got.map((r) => r.CUSTOMER_NAME)).toEqual(tricky);
      for (const [i, r] of got.entries()) {
        expect(Number(r.UNIT_PRICE)).toBe(119.99);
        expect(Number(r.TOTAL_AMOUNT)).toBe(300);
        expect(Number(r.KAFKA_PARTITION)).toBe(2);
        expect(Number(r.KAFKA_OFFSET)).toBe(1_000_000 + i);
        expect((r.TIMESTAMP as Date).getTime()).toBe(Date.parse(base!.value.timestamp));
        expect(r.PROCESSED_AT).toBeInstanceOf(Date);
        expect(r.QUALITY_FLAGS).toBe('unknown_model,total_mismatch');
        expect(JSON.parse(String(r.EXTRA))).toEqual({ discount_code: `WELCOME'${i}`, nested: { tags: ['a', 'é'] } });
      }
    });

    it('stores dead letters with their reason, exact bytes and position', async () => {
      const raw = new Uint8Array([0xff, 0x00, 0x7b, 0x22, 0xc3]);
      const dead: Decoded<OrderEvent> = {
        ok: false,
        reason: 'not valid UTF-8',
        raw,
        sizeBytes: raw.byteLength,
        position: { topic: 'sneaker-orders', partition: 1, offset: 41 },
        failedAt: Date.UTC(2025, 0, 1, 12, 0, 0, 123),
      };
      await warehouse.append({ tables: orderEventTables([dead, ...decodedEvents(2, 5)]) });
      const got = await warehouse.query(
        `SELECT REASON, RAW_VALUE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, FAILED_AT FROM ${warehouse.table('DEAD_LETTERS')}`,
      );
      expect(got).toHaveLength(1);
      expect(got[0]!.REASON).toBe('not valid UTF-8');
      expect(new Uint8Array(got[0]!.RAW_VALUE as Uint8Array)).toEqual(raw);
      expect(Number(got[0]!.SOURCE_OFFSET)).toBe(41);
      expect((got[0]!.FAILED_AT as Date).getTime()).toBe(Date.UTC(2025, 0, 1, 12, 0, 0, 123));
    });

    it('upserts reference rows idempotently on the primary key', async () => {
      const customers = [
        [1, 'Marie Dubois', 'marie@example.com', 'Paris', Date.UTC(2024, 5, 1)],
        [2, 'Jean Martin', 'jean@example.com', 'Lyon', Date.UTC(2023, 1, 2)],
      ] as const;
      await warehouse.upsert(CUSTOMERS, customers);
      await warehouse.upsert(CUSTOMERS, [...customers, [3, 'Zoé Petit', 'zoe@example.com', 'Nice', Date.UTC(2022, 0, 1)]]);
      const got = await warehouse.query(`SELECT CUSTOMER_ID, CITY FROM ${warehouse.table('CUSTOMERS')} ORDER BY CUSTOMER_ID`);
      expect(got.map((r) => [Number(r.CUSTOMER_ID), r.CITY])).toEqual([
        [1, 'Paris'],
        [2, 'Lyon'],
        [3, 'Nice'],
      ]);
    });
  });
}
