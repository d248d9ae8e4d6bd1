import { describe, expect, it } from 'vitest';
import { evolvedColumnName } from './column-name.js';

describe('evolvedColumnName()', () => {
  it('upper-cases a field name, as the warehouse does an unquoted identifier', () => {
    expect(evolvedColumnName('coupon_code')).toBe('COUPON_CODE');
    expect(evolvedColumnName('giftWrap')).toBe('GIFTWRAP');
    expect(evolvedColumnName('_private$1')).toBe('_PRIVATE$1');
    expect(evolvedColumnName('a'.repeat(255))).toBe('A'.repeat(255));
  });

  it('names that are not plain identifiers too: the connectors quote them', () => {
    expect(evolvedColumnName('coupon-code')).toBe('COUPON-CODE');
    expect(evolvedColumnName('2fa')).toBe('2FA');
    expect(evolvedColumnName('prix €')).toBe('PRIX €');
    expect(evolvedColumnName('é')).toBe('É');
    expect(evolvedColumnName('say "hi"')).toBe('SAY "HI"');
  });

  it('gives no column for a name no column can have', () => {
    for (const field of ['', 'a'.repeat(256), 'tab\there', 'nul\u0000']) {
      expect(evolvedColumnName(field), JSON.stringify(field)).toBeUndefined();
    }
  });
});
