/**
 * The life of an order, as a small state machine. Every order starts with
 * `order_created`; the transitions below are the only ones the generator
 * emits and the only ones {@link isValidLifecycle} accepts.
 */

/** Every event type, in the order they usually happen. */
export const EVENT_TYPES = ['order_created', 'payment_confirmed', 'shipped', 'delivered', 'cancelled', 'returned'] as const;

/** One step of an order's life. */
export type EventType = (typeof EVENT_TYPES)[number];

/** What may follow each event type. An empty list means the order is finished. */
export const NEXT_EVENT_TYPES: Readonly<Record<EventType, readonly EventType[]>> = {
  order_created: ['payment_confirmed', 'cancelled'],
  payment_confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: ['returned'],
  cancelled: [],
  returned: [],
};

/**
 * True when `types` is a possible history of one order: it starts with
 * `order_created` and each step is allowed after the previous one. A prefix of
 * a full life (an order still in progress) is valid.
 */
export function isValidLifecycle(types: readonly EventType[]): boolean {
  if (types.length === 0 || types[0] !== 'order_created') return false;
  for (let i = 1; i < types.length; i++) {
    if (!NEXT_EVENT_TYPES[types[i - 1]!].includes(types[i]!)) return false;
  }
  return true;
}
