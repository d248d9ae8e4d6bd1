import type { DeadLetter, ValidRecord, Warehouse } from '@sneakpipe/core';
import { describeWarehouseContract } from '@sneakpipe/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  GENERIC_TABLES,
  paymentRecords,
  paymentTables,
  paymentsHarness,
  type OpenWithTables,
  type Payment,
} from './generic-warehouse.js';

/**
 * The warehouse contract of `@sneakpipe/core/testing` on the generic tables
 * (`GENERIC_TABLES`), then what every value must keep on the way in and out:
 * text verbatim, money to the cent, exact times, JSON, bytes, NULLs, the load
 * time in UTC, reference rows inserted if absent. `open` must return a
 * warehouse given the tables it is passed, all of them empty: each part opens
 * its own.
 */
export function describeWarehouseOnGenericTables(
  name: string,
  open: OpenWithTables,
  options: { rows?: number; positionsTable?: string } = {},
): void {
  const harness = paymentsHarness(open, options.rows);
  describeWarehouseContract<Payment>(name, options.positionsTable ? { ...harness, positionsTable: options.positionsTable } : harness);
  describeValuesKept(name, () => open(GENERIC_TABLES));
}

/** Text a warehouse must store as it is given: quotes, accents, CJK, emoji, SQL, backslashes and LIKE wildcards. */
export const TRICKY_TEXT = [
  `O'Brien "the quote"`,
  'Zoë Ångström-Łukasz 東京',
  'Ana 👟🔥',
  "Robert'); DROP TABLE PAYMENTS;--",
  '\\ back\\slash %_',
];

function describeValuesKept(name: string, open: () => Promise<Warehouse>): void {
  describe(`Warehouse values kept: ${name}`, () => {
    let warehouse: Warehouse;
    beforeAll(async () => {
      warehouse = await open();
      await warehouse.init();
    });
    afterAll(async () => warehouse?.close());

    it('stores text verbatim, money to the cent, exact times, JSON, bytes, NULLs and the source position, and fills the load time in UTC', async () => {
      const [base] = paymentRecords(1, 777);
      const receipt = new Uint8Array([0xff, 0x00, 0x7b, 0x22, 0xc3]);
      const amounts = [119.99, 0.01, 359.97, 12_345_678.91, 0.1];
      const batch: ValidRecord<Payment>[] = TRICKY_TEXT.map((payer, i) => ({
        ...base!,
        value: {
          paymentId: `tricky-${i}`,
          payer,
          amount: amounts[i]!,
          units: 3,
          paidAt: Date.UTC(2025, 0, 1, 0, 4, 5, 678) + i,
          ...(i === 4 ? {} : { metadata: { note: `WELCOME'${i}`, nested: { tags: ['a', 'é', '👟'] } }, receipt }),
        },
        position: { topic: 'payments', partition: 2, offset: 1_000_000_000_000 + i },
      }));
      const before = Date.now();
      // Positioned, as a consumer loads: a warehouse that loads positioned records its own way (Snowpipe Streaming) is checked on that way.
      await warehouse.append({
        tables: paymentTables(batch),
        group: `values-${process.pid}-${Date.now()}`,
        positions: [{ topic: 'payments', partition: 2, from: null, to: 1_000_000_000_000 + batch.length }],
      });
      const after = Date.now();
      const got = await warehouse.query(
        `SELECT PAYMENT_ID, PAYER, AMOUNT, UNITS, PAID_AT, SOURCE_PARTITION, SOURCE_OFFSET, CAST(METADATA AS VARCHAR) AS METADATA, RECEIPT, LOADED_AT
         FROM ${warehouse.table('PAYMENTS')} WHERE PAYMENT_ID LIKE ? ORDER BY PAYMENT_ID`,
        ['tricky-%'],
      );
      expect(got.map((r) => r.PAYER)).toEqual(TRICKY_TEXT);
      // Found by its text too: a bound parameter matches the stored value exactly.
      expect(await warehouse.query(`SELECT PAYMENT_ID FROM ${warehouse.table('PAYMENTS')} WHERE PAYER = ?`, [TRICKY_TEXT[3]])).toEqual([
        { PAYMENT_ID: 'tricky-3' },
      ]);
      for (const [i, r] of got.entries()) {
        expect(Number(r.AMOUNT)).toBe(amounts[i]);
        expect(Number(r.UNITS)).toBe(3);
        expect((r.PAID_AT as Date).getTime()).toBe(Date.UTC(2025, 0, 1, 0, 4, 5, 678) + i);
        expect(Number(r.SOURCE_PARTITION)).toBe(2);
        expect(Number(r.SOURCE_OFFSET)).toBe(1_000_000_000_000 + i);
        expect(r.LOADED_AT).toBeInstanceOf(Date);
        expect((r.LOADED_AT as Date).getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect((r.LOADED_AT as Date).getTime()).toBeLessThanOrEqual(after + 5_000);
        if (i === 4) {
          expect([r.METADATA, r.RECEIPT]).toEqual([null, null]);
          continue;
        }
        expect(JSON.parse(String(r.METADATA))).toEqual({ note: `WELCOME'${i}`, nested: { tags: ['a', 'é', '👟'] } });
        expect(new Uint8Array(r.RECEIPT as Uint8Array)).toEqual(receipt);
      }
      // Money is added as decimals: 0.01 + 0.1 is 0.11, not the float 0.11000000000000001.
      const [sum] = await warehouse.query(`SELECT SUM(AMOUNT) AS S FROM ${warehouse.table('PAYMENTS')} WHERE PAYMENT_ID IN (?, ?)`, [
        'tricky-1',
        'tricky-4',
      ]);
      expect(Number(sum!.S)).toBe(0.11);
    });

    it('stores dead letters with their reason, exact bytes, position and time of failure', async () => {
      const raw = new Uint8Array([0xff, 0x00, 0x7b, 0x22, 0xc3]);
      const dead: DeadLetter = {
        ok: false,
        reason: `not valid UTF-8: "quoted" and 'single' 👟`,
        raw,
        sizeBytes: raw.byteLength,
        position: { topic: 'payments', partition: 1, offset: 41 },
        failedAt: Date.UTC(2025, 0, 1, 12, 0, 0, 123),
      };
      await warehouse.append({ tables: paymentTables([dead, ...paymentRecords(2, 5)]) });
      const got = await warehouse.query(
        `SELECT REASON, RAW, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, FAILED_AT, LOADED_AT FROM ${warehouse.table('PAYMENT_REJECTS')}`,
      );
      expect(got).toHaveLength(1);
      expect(got[0]!.REASON).toBe(dead.reason);
      expect(new Uint8Array(got[0]!.RAW as Uint8Array)).toEqual(raw);
      expect([got[0]!.SOURCE_TOPIC, Number(got[0]!.SOURCE_PARTITION), Number(got[0]!.SOURCE_OFFSET)]).toEqual(['payments', 1, 41]);
      expect((got[0]!.FAILED_AT as Date).getTime()).toBe(Date.UTC(2025, 0, 1, 12, 0, 0, 123));
      expect(got[0]!.LOADED_AT).toBeInstanceOf(Date);
    });

    it('inserts reference rows whose key is absent, leaving present ones as they are', async () => {
      const accounts = [
        [1, 'Marie Dubois', 'Paris', Date.UTC(2024, 5, 1)],
        [2, 'Jean Martin', 'Lyon', Date.UTC(2023, 1, 2)],
      ] as const;
      await warehouse.insertIfAbsent(ACCOUNTS, accounts);
      // Account 1 again with another city: a present key is left as it is, never updated.
      const moved = [1, 'Marie Dubois', 'Lille', Date.UTC(2024, 5, 1)] as const;
      await warehouse.insertIfAbsent(ACCOUNTS, [moved, accounts[1], [3, 'Zoé Petit', 'Nice', Date.UTC(2022, 0, 1)]]);
      const got = await warehouse.query(`SELECT ACCOUNT_ID, CITY, OPENED_AT FROM ${warehouse.table('ACCOUNTS')} ORDER BY ACCOUNT_ID`);
      expect(got.map((r) => [Number(r.ACCOUNT_ID), r.CITY, (r.OPENED_AT as Date).getTime()])).toEqual([
        [1, 'Paris', Date.UTC(2024, 5, 1)],
        [2, 'Lyon', Date.UTC(2023, 1, 2)],
        [3, 'Nice', Date.UTC(2022, 0, 1)],
      ]);
    });
  });
}
