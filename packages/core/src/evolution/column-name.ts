/** What no column name may hold: control characters (quoting cannot carry them everywhere). */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The column a field becomes, named the way the warehouse names an unquoted
 * identifier: upper-cased (`coupon_code` → `COUPON_CODE`), so analysts query
 * a plain name without quotes. A name that is not a plain identifier is
 * quoted by the connectors as it is, upper-cased: `coupon-code` →
 * `"COUPON-CODE"`, `prix €` → `"PRIX €"` (and an SQL keyword: `order` →
 * `"ORDER"`). `undefined` for a name no column can have: empty, over 255
 * characters (Snowflake's limit for an identifier), or with control
 * characters; such a field stays in the extras column.
 *
 * @example
 * ```ts
 * import { evolvedColumnName } from '@sneakpipe/core';
 *
 * evolvedColumnName('couponCode'); // 'COUPONCODE'
 * evolvedColumnName('coupon-code'); // 'COUPON-CODE', quoted in SQL
 * evolvedColumnName(''); // undefined
 * ```
 */
export function evolvedColumnName(field: string): string | undefined {
  return field.length === 0 || field.length > 255 || CONTROL.test(field) ? undefined : field.toUpperCase();
}
