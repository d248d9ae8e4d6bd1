/**
 * Values as they travel to and from a warehouse, the same on every connector:
 * query results give timestamps back in each driver's own way, and bind
 * parameters must be read alike by DuckDB and Snowflake.
 */

/** A timestamp bind parameter both warehouses read the same way (UTC, no zone suffix). */
export const timestampParam = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Milliseconds since epoch from what a driver returns for a timestamp (Date, string, number). */
export function toMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  const text = String(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
