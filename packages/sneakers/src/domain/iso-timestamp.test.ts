import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regexes } from 'zod/v4/core';
import { hasTimeZone, isoTimestampMs } from './iso-timestamp.js';

const ISO_DATETIME = regexes.datetime({ offset: true, local: true, precision: null });
/** What eventTimeMs was before the hand-written reader: Date.parse, UTC when no zone. */
const ZONE = /(?:Z|[+-]\d{2}:\d{2})$/i;
const dateParse = (s: string) => Date.parse(ZONE.test(s) ? s : `${s}Z`);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** Date-times in the form producers write, with every field allowed to go out of range. */
const timestampLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{0,10}$/)),
    zone: fc.oneof(
      fc.constantFrom('', 'Z', 'z', '+00:00', '-00:00', '+02:00', '-05:30', '+23:59', '+24:00', '+02:60', '+0200', 'GMT'),
      fc.string({ maxLength: 3 }),
    ),
    separator: fc.constantFrom('T', 'T', 'T', 't', ' '),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}${t.separator}${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.fraction}${t.zone}`,
  );
const anyText = fc.oneof(
  timestampLike,
  fc.string({ maxLength: 40 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

describe('isoTimestampMs', () => {
  it('reads what Date.parse reads, exactly, for every string it reads', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const ms = isoTimestampMs(s);
        if (!Number.isNaN(ms)) expect(ms).toBe(dateParse(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads only strings zod accepts as ISO date-times (so the fast check may skip the regex)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        if (!Number.isNaN(isoTimestampMs(s))) expect(ISO_DATETIME.test(s)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the forms producers write (so the fast path is taken)', () => {
    expect(isoTimestampMs('2024-05-01T12:30:00.123Z')).toBe(Date.UTC(2024, 4, 1, 12, 30, 0, 123));
    expect(isoTimestampMs('2024-05-01T14:30:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12, 30));
    expect(isoTimestampMs('2024-05-01T07:00:00.5-05:30')).toBe(Date.UTC(2024, 4, 1, 12, 30, 0, 500));
    expect(isoTimestampMs('2024-05-01T12:30:00.123456')).toBe(Date.UTC(2024, 4, 1, 12, 30, 0, 123));
    expect(isoTimestampMs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('leaves impossible dates and other forms to the slow path', () => {
    for (const s of [
      '2023-02-29T00:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '0099-01-01T00:00:00Z',
      '2024-01-01t00:00:00Z',
      '2024-01-01T00:00Z',
      '2024-01-01T00:00:00.Z',
      '2024-01-01T00:00:00+02',
    ]) {
      expect(isoTimestampMs(s), s).toBeNaN();
    }
  });
});

describe('hasTimeZone', () => {
  it('agrees with the regular expression it replaces', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(hasTimeZone(s)).toBe(ZONE.test(s));
      }),
      { numRuns: 20_000 },
    );
  });
});
