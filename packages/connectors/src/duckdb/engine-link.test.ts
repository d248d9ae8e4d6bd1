import { PositionConflictError, SneakpipeError } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { failureOf } from '@sneakpipe/test-support/failure';
import { fromCrossing, threadLink, toCrossing } from './engine-link.js';

/** Through a structured clone, as postMessage sends it. */
const across = (error: unknown) => fromCrossing(structuredClone(toCrossing(error)));

describe('errors crossing from DuckDB’s thread', () => {
  it('keep their class, code, retriability and cause', () => {
    const driver = new Error('IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held (PID 42)');
    const locked = across(new SneakpipeError('WAREHOUSE_LOCKED', driver.message, { retriable: true, cause: driver }));
    expect(locked).toBeInstanceOf(SneakpipeError);
    expect([(locked as SneakpipeError).code, (locked as SneakpipeError).retriable, locked.message]).toEqual([
      'WAREHOUSE_LOCKED',
      true,
      driver.message,
    ]);
    expect((locked.cause as Error).message).toBe(driver.message);
  });

  it('keep the conflicts of a position conflict (the sink reads them to try again)', () => {
    const conflicts = [{ topic: 't', partition: 1, expected: 10, stored: 12 }];
    const conflict = across(new PositionConflictError(conflicts));
    expect(conflict).toBeInstanceOf(PositionConflictError);
    expect((conflict as PositionConflictError).conflicts).toEqual(conflicts);
    expect((conflict as PositionConflictError).retriable).toBe(true);
  });

  it('keep the name and message of any other error, and the engine’s stack', () => {
    const original = new TypeError('boom');
    const back = across(original);
    expect([back.name, back.message, back.stack]).toEqual(['TypeError', 'boom', original.stack]);
    expect(across('not an error').message).toBe('not an error');
  });
});

describe('threadLink', () => {
  it('a DuckDB thread that exits: every call fails as WAREHOUSE_UNAVAILABLE, not retriable', async () => {
    // A stand-in for duckdb-thread.js that opens, then exits on the first call (as a crash of the thread would).
    const exiting = `import { parentPort } from 'node:worker_threads';
      parentPort.postMessage({ id: 0, ok: true, value: undefined });
      parentPort.on('message', () => process.exit(3));`;
    const link = await threadLink(new URL(`data:text/javascript,${encodeURIComponent(exiting)}`), {
      path: ':memory:',
      database: 'D',
      schema: 'S',
      memoryLimit: '64MB',
      tables: [],
    });
    for (const attempt of [1, 2]) {
      const error = await failureOf<SneakpipeError>(() => link.call('positions', ['g', 't']));
      expect([error.code, error.retriable, attempt]).toEqual(['WAREHOUSE_UNAVAILABLE', false, attempt]);
      expect(error.message).toMatch(/DuckDB thread exited \(code 3\)/);
    }
    await link.end();
  });
});
