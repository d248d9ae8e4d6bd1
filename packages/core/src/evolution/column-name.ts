/**
 * A field name every warehouse takes as a column name unquoted: letters,
 * digits, `_` and `$`, starting with a letter or `_`, at most 255 characters
 * (Snowflake's limit for an identifier).
 */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

/**
 * The column a field becomes, named the way the warehouse names an unquoted
 * identifier: upper-cased (`coupon_code` → `COUPON_CODE`), so analysts query
 * it without quotes (unless the name is an SQL keyword: `order` becomes
 * `"ORDER"`). `undefined` for a name that is not a plain identifier
 * (`coupon-code`, `2fa`, `prix €`): such a field stays in the extras column.
 *
 * @example
 * ```ts
 * import { evolvedColumnName } from '@sneakpipe/core';
 *
 * evolvedColumnName('couponCode'); // 'COUPONCODE'
 * evolvedColumnName('coupon-code'); // undefined
 * ```
 */
export function evolvedColumnName(field: string): string | undefined {
  return PLAIN_NAME.test(field) ? field.toUpperCase() : undefined;
}
