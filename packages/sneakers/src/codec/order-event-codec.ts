import { jsonCodec, type Codec } from '@sneakpipe/core';
import { OrderEventSchema, type ReceivedOrderEvent } from '../domain/order-event.js';
import { orderEventFastCheck } from '../domain/order-event-fast-path.js';

/**
 * The JSON codec of order events in the original system's format
 * ({@link OrderEventSchema}: fields it does not know are kept), with the
 * hand-written fast check (validation far cheaper than zod; zod still decides
 * every value the fast check does not accept, and gives the reason).
 */
export const orderEventCodec: Codec<ReceivedOrderEvent> = jsonCodec(OrderEventSchema, { accepts: orderEventFastCheck });
