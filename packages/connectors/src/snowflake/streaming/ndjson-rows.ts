import { loadedColumns, type ColumnType, type TableSpec, type WarehouseRow } from '@sneakpipe/core';
import { timestampText } from '../sql.js';

type Value = WarehouseRow[number];

/** A value as JSON text, for its column's type (see `WarehouseRow` for what each type holds). */
const asJson: Record<ColumnType, (v: Exclude<Value, null>) => string> = {
  text: (v) => JSON.stringify(String(v)),
  integer: number,
  bigint: number,
  money: number,
  double: number,
  boolean: (v) => (v === true ? 'true' : 'false'),
  timestamp: (v) => JSON.stringify(timestampText(Number(v))),
  // Default pipes read binary columns as base64.
  binary: (v) => JSON.stringify(Buffer.from(v as Uint8Array).toString('base64')),
  // JSON text already: it goes in as it is, a VARIANT value rather than a string.
  json: (v) => String(v),
};

/** A finite number as a JSON number; anything else (NaN, ±Infinity, digits as text) as a JSON string Snowflake casts. */
function number(v: Exclude<Value, null>): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
}

/**
 * A table's rows as NDJSON (RFC 8259, one object per line, `\n` after each),
 * keyed by column name, as a default pipe matches them (MATCH_BY_COLUMN_NAME).
 * Columns filled at load time (`default: 'now'`) take `loadedAt`: Snowflake
 * evaluates a pipe's defaults once, when it compiles the pipe, not per row.
 */
export function ndjsonRows(table: TableSpec, rows: readonly WarehouseRow[], loadedAt: number): string {
  const columns = loadedColumns(table);
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  const convert = columns.map((c) => asJson[c.type]);
  const stamped = table.columns
    .filter((c) => c.default === 'now')
    .map((c) => `,${JSON.stringify(c.name)}:${JSON.stringify(timestampText(loadedAt))}`)
    .join('');
  let out = '';
  for (const row of rows) {
    let line = '{';
    for (let i = 0; i < keys.length; i++) {
      const v = row[i] ?? null;
      line += `${i === 0 ? '' : ','}${keys[i]}${v === null ? 'null' : convert[i]!(v)}`;
    }
    out += `${line}${keys.length === 0 ? stamped.slice(1) : stamped}}\n`;
  }
  return out;
}
