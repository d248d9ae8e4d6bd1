import { describe, expect, it } from 'vitest';
import { OrderEventGenerator } from '../generator/order-event-generator.js';
import type { ReceivedOrderEvent } from './order-event.js';
import { extraFields, extraFieldsJson } from './warehouse-rows.js';

const EVENT = new OrderEventGenerator({ seed: 1, start: Date.UTC(2025, 0, 1) }).draw()!;

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
