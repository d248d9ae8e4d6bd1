import {
  CUSTOMERS,
  OrderEventGenerator,
  orderEventTables,
  WAREHOUSE_TABLES,
  type OrderEvent,
  type ReceivedOrderEvent,
} from '@sneakpipe/sneakers';
import type { Decoded, ValidRecord, Warehouse } from '@sneakpipe/core';
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

/**
 * What the shop's rows must keep in a real warehouse, on top of the generic
 * contract the connectors run (`describeWarehouseOnGenericTables`): sneaker
 * events through `orderEventTables` with their text verbatim, money to the
 * cent, quality flags, extra fields and source position; dead letters' exact
 * bytes in `DEAD_LETTERS`; customers inserted if absent. `open` must return a
 * warehouse given `WAREHOUSE_TABLES`, with empty tables.
 */
export function describeShopWarehouseRows(name: string, open: () => Promise<Warehouse>): void {
  describe(`The shop's rows in the warehouse: ${name}`, () => {
    let warehouse: Warehouse;
    beforeAll(async () => {
      warehouse = await open();
      await warehouse.init();
    });
    afterAll(async () => warehouse?.close());

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
      // Positioned, as the consumer loads: Snowpipe Streaming loads these through its channels.
      await warehouse.append({
        tables: orderEventTables(batch),
        group: `shop-rows-${process.pid}-${Date.now()}`,
        positions: [{ topic: 'sneaker-orders', partition: 2, from: null, to: 1_000_000 + batch.length }],
      });
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
      const others = decodedEvents(2, 5).map((e, i) => ({ ...e, position: { topic: 'sneaker-orders', partition: 1, offset: 42 + i } }));
      await warehouse.append({
        tables: orderEventTables([dead, ...others]),
        group: `dead-letters-${process.pid}-${Date.now()}`,
        positions: [{ topic: 'sneaker-orders', partition: 1, from: null, to: 44 }],
      });
      const got = await warehouse.query(
        `SELECT REASON, RAW_VALUE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, FAILED_AT FROM ${warehouse.table('DEAD_LETTERS')}`,
      );
      expect(got).toHaveLength(1);
      expect(got[0]!.REASON).toBe('not valid UTF-8');
      expect(new Uint8Array(got[0]!.RAW_VALUE as Uint8Array)).toEqual(raw);
      expect(Number(got[0]!.SOURCE_OFFSET)).toBe(41);
      expect((got[0]!.FAILED_AT as Date).getTime()).toBe(Date.UTC(2025, 0, 1, 12, 0, 0, 123));
    });

    it('inserts reference rows whose key is absent, leaving present ones as they are', async () => {
      const customers = [
        [1, 'Marie Dubois', 'marie@example.com', 'Paris', Date.UTC(2024, 5, 1)],
        [2, 'Jean Martin', 'jean@example.com', 'Lyon', Date.UTC(2023, 1, 2)],
      ] as const;
      await warehouse.insertIfAbsent(CUSTOMERS, customers);
      // Customer 1 again with another city: a present key is left as it is, never updated.
      const moved = [1, 'Marie Dubois', 'marie@example.com', 'Lille', Date.UTC(2024, 5, 1)] as const;
      await warehouse.insertIfAbsent(CUSTOMERS, [moved, customers[1], [3, 'Zoé Petit', 'zoe@example.com', 'Nice', Date.UTC(2022, 0, 1)]]);
      const got = await warehouse.query(`SELECT CUSTOMER_ID, CITY FROM ${warehouse.table('CUSTOMERS')} ORDER BY CUSTOMER_ID`);
      expect(got.map((r) => [Number(r.CUSTOMER_ID), r.CITY])).toEqual([
        [1, 'Paris'],
        [2, 'Lyon'],
        [3, 'Nice'],
      ]);
    });
  });
}
