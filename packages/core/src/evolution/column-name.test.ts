import { describe, expect, it } from 'vitest';
import { evolvedColumnName } from './column-name.js';

describe('evolvedColumnName()', () => {
  it('upper-cases a plain identifier, as the warehouse does an unquoted one', () => {
    expect(evolvedColumnName('coupon_code')).toBe('COUPON_CODE');
    expect(evolvedColumnName('giftWrap')).toBe('GIFTWRAP');
    expect(evolvedColumnName('_private$1')).toBe('_PRIVATE$1');
    expect(evolvedColumnName('a'.repeat(255))).toBe('A'.repeat(255));
  });

  it('gives no column for a name that is not a plain identifier', () => {
    for (const field of ['coupon-code', '2fa', 'prix €', '', 'a.b', 'x"y', 'a'.repeat(256), 'é']) {
      expect(evolvedColumnName(field), field).toBeUndefined();
    }
  });
});
