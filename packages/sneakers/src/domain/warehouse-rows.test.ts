import { describe, expect, it } from 'vitest';
import type { ReceivedOrderEvent } from './order-event.js';
import { extraFields, extraFieldsJson } from './warehouse-rows.js';

const EVENT = {
  event_id: 'e1',
  event_type: 'order_created',
  timestamp: '2026-01-16T10:00:00.000Z',
  order_id: 1,
  customer_name: 'Jean Martin',
  customer_city: 'Lille',
  brand: 'Nike',
  model: 'Dunk',
  color: 'Black',
  size: '44',
  unit_price: 110,
  total_amount: 110,
  quantity: 1,
};

describe('extraFields()', () => {
  it('is the fields without a column, or nothing', () => {
    expect(extraFields(EVENT)).toBeUndefined();
    expect(extraFieldsJson(EVENT)).toBeNull();
    expect(extraFieldsJson({ ...EVENT, coupon_code: 'WELCOME10', gift: true })).toBe('{"coupon_code":"WELCOME10","gift":true}');
  });

  it('keeps a field named __proto__, as JSON.parse gives it, as a field', () => {
    const event = JSON.parse(JSON.stringify(EVENT).replace(/}$/, ',"__proto__":{"admin":true}}')) as ReceivedOrderEvent;
    expect(extraFieldsJson(event)).toBe('{"__proto__":{"admin":true}}');
  });
});
