import {
  column,
  deadLetterRow,
  deadLetterTable,
  defineTable,
  type Decoded,
  type TableRows,
  type TableSpec,
  type ValidRecord,
  type Warehouse,
  type WarehouseRow,
} from '@sneakpipe/core';
import type { WarehouseContractHarness } from '@sneakpipe/core/testing';

/*
 * Tables and records of an application of no particular kind (payments, the
 * refused ones beside them, accounts as reference data): what the connectors'
 * tests load, so that they need no application of this repository. Every
 * logical column type appears, nullable and not, with a load time.
 */

/** A payment, as the connectors' tests decode it. */
export interface Payment {
  readonly paymentId: string;
  readonly payer: string;
  /** To the cent. */
  readonly amount: number;
  readonly units: number;
  /** Ms since epoch (UTC). */
  readonly paidAt: number;
  /** Kept as JSON; absent is `null`. */
  readonly metadata?: unknown;
  /** Kept as bytes; absent is `null`. */
  readonly receipt?: Uint8Array;
}

/** Payments, one row per record (append-only), with where each came from and when it was loaded. */
export const PAYMENTS = defineTable({
  name: 'PAYMENTS',
  description: 'Payments, one row per record (append-only).',
  columns: [
    column('PAYMENT_ID', 'text'),
    column('PAYER', 'text'),
    column('AMOUNT', 'money'),
    column('UNITS', 'integer'),
    column('PAID_AT', 'timestamp'),
    column('SOURCE_PARTITION', 'integer', { nullable: true }),
    column('SOURCE_OFFSET', 'bigint', { nullable: true }),
    column('METADATA', 'json', { nullable: true }),
    column('RECEIPT', 'binary', { nullable: true }),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});

/** The records that did not decode, beside the payments. */
export const PAYMENT_REJECTS = deadLetterTable('PAYMENT_REJECTS');

/** Reference data, keyed: loaded with `insertIfAbsent`. */
export const ACCOUNTS = defineTable({
  name: 'ACCOUNTS',
  description: 'Accounts (reference data).',
  primaryKey: 'ACCOUNT_ID',
  columns: [column('ACCOUNT_ID', 'bigint'), column('HOLDER', 'text'), column('CITY', 'text'), column('OPENED_AT', 'timestamp')],
});

/** Every table of the fixture, in creation order. */
export const GENERIC_TABLES: readonly TableSpec[] = [PAYMENTS, PAYMENT_REJECTS, ACCOUNTS];

const PAYERS = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'];

/** `count` payments of `topic` with positions over three partitions: the same for the same `seed`, with ids of their own for each seed. */
export function paymentRecords(count: number, seed = 1, topic = 'payments'): ValidRecord<Payment>[] {
  return Array.from({ length: count }, (_, i) => ({
    ok: true as const,
    value: {
      paymentId: `pay-${seed}-${i}`,
      payer: PAYERS[(seed + i) % PAYERS.length]!,
      amount: ((seed * 7_919 + i * 104_729) % 1_000_000) / 100,
      units: 1 + ((seed + i) % 9),
      paidAt: Date.UTC(2025, 0, 1) + seed * 86_400_000 + i * 1_000,
      ...(i % 2 === 0 ? { metadata: { channel: 'web', sequence: i } } : {}),
    },
    sizeBytes: 200,
    position: { topic, partition: i % 3, offset: Math.floor(i / 3) },
  }));
}

/** A payment's `PAYMENTS` row, in the positional form connectors load (unchecked, as the warehouse casts it). */
export function paymentRow(record: ValidRecord<Payment>): WarehouseRow {
  const p = record.value;
  return [
    p.paymentId,
    p.payer,
    p.amount,
    p.units,
    p.paidAt,
    record.position?.partition ?? null,
    record.position?.offset ?? null,
    p.metadata === undefined ? null : JSON.stringify(p.metadata),
    p.receipt ?? null,
  ];
}

/** A decoded batch as rows to append: payments to `PAYMENTS`, dead letters to `PAYMENT_REJECTS` (a `positionedSink`'s `rows`). */
export function paymentTables(batch: readonly Decoded<Payment>[]): TableRows[] {
  const payments: WarehouseRow[] = [];
  const rejects: WarehouseRow[] = [];
  for (const item of batch) item.ok ? payments.push(paymentRow(item)) : rejects.push(deadLetterRow(item));
  return [
    { table: PAYMENTS, rows: payments },
    { table: PAYMENT_REJECTS, rows: rejects },
  ];
}

/** Opens a warehouse given `tables`, all of them empty. */
export type OpenWithTables = (tables: readonly TableSpec[]) => Promise<Warehouse>;

/**
 * What core's warehouse contract needs to run on the fixture's tables: the
 * warehouse is opened with `GENERIC_TABLES` and whatever tables of its own
 * the suite asks for.
 */
export function paymentsHarness(openWith: OpenWithTables, rows?: number): WarehouseContractHarness<Payment> {
  return {
    open: (suiteTables: readonly TableSpec[] = []) => openWith([...GENERIC_TABLES, ...suiteTables]),
    tables: GENERIC_TABLES.map((t) => t.name),
    records: paymentRecords,
    rowsOf: paymentTables,
    recordTable: { name: PAYMENTS.name, idColumn: 'PAYMENT_ID' },
    idOf: (payment) => payment.paymentId,
    ...(rows === undefined ? {} : { rows }),
  };
}
