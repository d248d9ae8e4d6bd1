import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const CHILD = fileURLToPath(new URL('./load-time-child.mjs', import.meta.url));

/** Time zones far from UTC on either side (and neither a whole number of hours from it: Kolkata is +05:30). */
export const TIME_ZONES = ['America/New_York', 'Asia/Kolkata'] as const;

/** A timestamp column's values as `load-time-child.mjs` prints them. */
export interface StoredTimes {
  /** As the warehouse stores it: a wall clock without zone, which must be UTC's. */
  readonly stored: string;
  /** As the driver returns it, ISO. */
  readonly read: string;
}

/** What `load-time-child.mjs` prints. */
export interface LoadTimes {
  readonly timeZone: string;
  readonly offsetMinutes: number;
  readonly before: number;
  /** When the second load, which advances the position the first stored, started. */
  readonly secondLoadAt: number;
  readonly after: number;
  readonly eventAt: number;
  readonly tables: Record<'TZ_EVENTS' | 'TZ_EVENTS_HAPPENED' | 'TZ_REFS' | 'LOAD_POSITIONS', StoredTimes[]>;
}

/**
 * Loads with `load-time-child.mjs` in a process of its own started with
 * `TZ=timeZone` (the built connectors), and returns what it printed, having
 * checked that the time zone took: the process is really away from UTC.
 */
export function loadUnderTimeZone(timeZone: string, args: readonly string[]): LoadTimes {
  const child = spawnSync(process.execPath, [CHILD, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: timeZone },
    timeout: 120_000,
  });
  expect(child.status, child.stderr).toBe(0);
  const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as LoadTimes;
  // Intl may name the zone by an alias (Asia/Calcutta): what matters is that the process is away from UTC.
  expect(out.offsetMinutes, `${timeZone} (${out.timeZone})`).not.toBe(0);
  return out;
}

/** A warehouse's text of a TIMESTAMP without zone (`2025-01-01 00:04:05.678`), read as UTC: ms since epoch. */
export const utcMs = (text: string) => Date.parse(`${text.trim().replace(' ', 'T')}Z`);

/**
 * Checks a load-time value: stored as UTC's wall clock, within a few seconds
 * of when the loads ran (the local time is hours away), and returned by the
 * driver as that same instant.
 */
export function expectUtcLoadTime(value: StoredTimes | undefined, loads: LoadTimes, what: string): void {
  expect(value, what).toBeDefined();
  const stored = utcMs(value!.stored);
  expect(stored, `${what}: stored ${value!.stored}, loads ran from ${new Date(loads.before).toISOString()}`).toBeGreaterThanOrEqual(
    loads.before - 5_000,
  );
  expect(stored, `${what}: stored ${value!.stored}, loads ran until ${new Date(loads.after).toISOString()}`).toBeLessThanOrEqual(
    loads.after + 5_000,
  );
  expect(Date.parse(value!.read), `${what}: read back`).toBe(stored);
}

/**
 * What every warehouse must show after the child's loads: each load-time
 * column (the appended rows, the keyed rows, `LOAD_POSITIONS.UPDATED_AT`, set
 * by the second load) holds UTC, and a timestamp the rows gave is stored and
 * read back as given.
 */
export function expectUtcLoads(loads: LoadTimes): void {
  const { TZ_EVENTS, TZ_EVENTS_HAPPENED, TZ_REFS, LOAD_POSITIONS } = loads.tables;
  expect([TZ_EVENTS.length, TZ_REFS.length, LOAD_POSITIONS.length]).toEqual([2, 1, 1]);
  for (const [i, value] of TZ_EVENTS.entries()) expectUtcLoadTime(value, loads, `TZ_EVENTS.LOADED_AT #${i}`);
  expectUtcLoadTime(TZ_REFS[0], loads, 'TZ_REFS.LOADED_AT');
  // Set by the second load, which replaced the partition's row: its time, not the first load's.
  expectUtcLoadTime(LOAD_POSITIONS[0], loads, 'LOAD_POSITIONS.UPDATED_AT');
  expect(utcMs(LOAD_POSITIONS[0]!.stored)).toBeGreaterThanOrEqual(loads.secondLoadAt);
  for (const value of TZ_EVENTS_HAPPENED) {
    expect(utcMs(value.stored)).toBe(loads.eventAt);
    expect(Date.parse(value.read)).toBe(loads.eventAt);
  }
}
