import { SneakpipeError, column, isRetriable, type TableSpec } from '@sneakpipe/core';
import { expect } from 'vitest';
import { failureOf } from './failure.js';

/**
 * The tables of the warehouses' row-width tests: an append-only one whose
 * second column is nullable (so a row one value short would load a NULL where
 * its value was missing) and whose load time the warehouse fills, and a keyed
 * one.
 */
export const WIDTH_TABLES = {
  events: {
    name: 'EVENTS',
    description: 'append-only',
    columns: [column('N', 'integer'), column('NAME', 'text', { nullable: true }), column('AT', 'timestamp', { default: 'now' })],
  },
  refs: { name: 'REFS', description: 'keyed', primaryKey: 'N', columns: [column('N', 'integer')] },
} satisfies Record<string, TableSpec>;

/** A load of rows of the wrong width, and the message it must fail with. */
export type RowWidthCase = readonly [load: () => Promise<unknown>, message: RegExp];

/** Each load fails with `WAREHOUSE_REJECTED`, not retriable, with its message (naming the table and the counts). */
export async function expectRowWidthRefusals(cases: readonly RowWidthCase[]): Promise<void> {
  for (const [load, message] of cases) {
    const error = await failureOf<SneakpipeError>(load);
    expect(error).toBeInstanceOf(SneakpipeError);
    expect([error.code, isRetriable(error)]).toEqual(['WAREHOUSE_REJECTED', false]);
    expect(error.message).toMatch(message);
  }
}
