import { DEFAULT_CATALOG, type Catalog, type CatalogBrand, type CatalogModel } from '../domain/catalog.js';
import type { EventType } from '../domain/lifecycle.js';
import { roundToCents, type OrderEvent } from '../domain/order-event.js';
import { createCustomerPool, pickCustomer, type Customer } from './customers.js';
import { MinHeap } from './min-heap.js';
import { Random, WeightedPicker } from './random.js';
import { intensityAt } from './seasonality.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Options of {@link OrderEventGenerator}. Every field has a sensible default. */
export interface OrderGeneratorOptions {
  /** Same seed, same events (timestamps aside in live mode). Default 42. */
  seed?: number;
  /** Brands, models, colours and sizes to draw from. Default: the seed's catalog. */
  catalog?: Catalog;
  /** Size of the fixed customer pool, or the pool itself. Default 5,000. */
  customers?: number | readonly Customer[];
  /** Simulated start time (ms since epoch). Default: `clock()` or now. */
  start?: number;
  /** Simulated end time: no event after it is produced (backfill). Default: none. */
  end?: number;
  /** Mean new orders per simulated day, before seasonality. Default 2,000. */
  ordersPerDay?: number;
  /** Apply hour-of-day and day-of-week intensity (evenings and weekends busier). Default true. */
  seasonality?: boolean;
  /** Divides every lifecycle delay (payment, shipping, delivery, return). Default 1. */
  lifecycleSpeedup?: number;
  /**
   * Live mode: each event's timestamp is `clock()` at the time it is drawn,
   * while the order of events still follows the simulation. Unset (backfill):
   * timestamps are the simulated times.
   */
  clock?: () => number;
  /** The first order id; later orders count up from it. Default derived from the seed. */
  firstOrderId?: number;
}

/** The details that every event of one order repeats. */
interface OrderDetails {
  readonly orderId: number;
  readonly customer: Customer;
  readonly brand: string;
  readonly model: string;
  readonly color: string;
  readonly size: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly totalAmount: number;
}

interface PendingEvent {
  readonly type: EventType;
  readonly order: OrderDetails;
}

/**
 * Draws realistic order events, one at a time, from a simulation of the shop:
 * new orders arrive as a Poisson process (seasonal when asked), and each order
 * then lives its life (payment or cancellation, shipping, delivery, sometimes a
 * return) with plausible delays. Events come out in simulated-time order, so
 * the events of one order are always in lifecycle order.
 *
 * @example
 * ```ts
 * const generator = new OrderEventGenerator({ seed: 7, start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 8) });
 * for (const event of generator) console.log(event.event_type, event.brand);
 * ```
 */
export class OrderEventGenerator implements IterableIterator<OrderEvent> {
  private readonly random: Random;
  private readonly pool: readonly Customer[];
  private readonly brands: WeightedPicker<CatalogBrand>;
  private readonly models: Map<string, WeightedPicker<CatalogModel>>;
  private readonly colors: WeightedPicker<string>;
  private readonly sizes: WeightedPicker<string>;
  private readonly pending = new MinHeap<PendingEvent>();
  private readonly end: number;
  private readonly meanGapMs: number;
  private readonly seasonality: boolean;
  private readonly speedup: number;
  private readonly clock: (() => number) | undefined;
  private nextArrival: number;
  private nextOrderId: number;
  private produced = 0;
  // Many events share a millisecond at full speed: format each one once.
  private lastStampMs = NaN;
  private lastStamp = '';

  constructor(options: OrderGeneratorOptions = {}) {
    const seed = options.seed ?? 42;
    const catalog = options.catalog ?? DEFAULT_CATALOG;
    const ordersPerDay = options.ordersPerDay ?? 2000;
    if (!(ordersPerDay > 0)) throw new RangeError(`ordersPerDay must be > 0, got ${ordersPerDay}`);
    this.speedup = options.lifecycleSpeedup ?? 1;
    if (!(this.speedup > 0)) throw new RangeError(`lifecycleSpeedup must be > 0, got ${this.speedup}`);
    this.random = new Random(seed);
    this.pool = typeof options.customers === 'object' ? options.customers : createCustomerPool(seed, options.customers ?? 5000);
    this.brands = new WeightedPicker(catalog.brands, (b) => b.weight);
    // Within a brand the first models listed are the classics and sell most.
    this.models = new Map(catalog.brands.map((b) => [b.name, new WeightedPicker(b.models, (x) => 1 / Math.sqrt(b.models.indexOf(x) + 1))]));
    this.colors = new WeightedPicker(catalog.colors, (c) => 1 / (catalog.colors.indexOf(c) + 1));
    this.sizes = new WeightedPicker(
      catalog.sizes.map((s) => s.size),
      (s) => catalog.sizes.find((x) => x.size === s)!.weight,
    );
    this.clock = options.clock;
    this.end = options.end ?? Infinity;
    this.meanGapMs = DAY / ordersPerDay;
    this.seasonality = options.seasonality ?? true;
    this.nextArrival = options.start ?? this.clock?.() ?? Date.now();
    this.nextOrderId = options.firstOrderId ?? ((seed >>> 0) % 900_000) * 1_000_000 + 100_000_000_000;
  }

  /** How many events have been drawn so far. */
  get count(): number {
    return this.produced;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<OrderEvent, undefined> {
    const event = this.draw();
    return event ? { done: false, value: event } : { done: true, value: undefined };
  }

  /** The next event, or `undefined` once the simulated end is passed. */
  draw(): OrderEvent | undefined {
    const dueAt = this.pending.peekKey();
    if (dueAt <= this.nextArrival) {
      if (dueAt > this.end) return undefined;
      const { type, order } = this.pending.pop()!;
      return this.emit(type, order, dueAt);
    }
    const at = this.nextArrival;
    if (at > this.end) return undefined;
    this.advanceArrival();
    return this.emit('order_created', this.newOrder(), at);
  }

  private advanceArrival(): void {
    const intensity = this.seasonality ? intensityAt(this.nextArrival) : 1;
    this.nextArrival += Math.max(1, Math.round(this.random.exponential(this.meanGapMs / intensity)));
  }

  private newOrder(): OrderDetails {
    const r = this.random;
    const brand = this.brands.pick(r);
    const model = this.models.get(brand.name)!.pick(r);
    // Shop prices end in .99 or .49, within the model's list-price range.
    const raw = model.minPrice + r.next() * (model.maxPrice - model.minPrice);
    const unitPrice = roundToCents(Math.max(model.minPrice, Math.round(raw * 2) / 2) - 0.01);
    const q = r.next();
    const quantity = q < 0.8 ? 1 : q < 0.95 ? 2 : 3;
    return {
      orderId: this.nextOrderId++,
      customer: pickCustomer(this.pool, r),
      brand: brand.name,
      model: model.name,
      color: this.colors.pick(r),
      size: this.sizes.pick(r),
      unitPrice,
      quantity,
      totalAmount: roundToCents(unitPrice * quantity),
    };
  }

  /** Schedules what happens next to an order after `type` at time `at`. */
  private scheduleNext(type: EventType, order: OrderDetails, at: number): void {
    const r = this.random;
    const later = (next: EventType, minMs: number, meanMs: number) =>
      this.pending.push(at + Math.round((minMs + r.exponential(meanMs)) / this.speedup), { type: next, order });
    switch (type) {
      case 'order_created':
        if (r.chance(0.92)) later('payment_confirmed', 5 * SECOND, 3 * MINUTE);
        else later('cancelled', 1 * MINUTE, 30 * MINUTE);
        break;
      case 'payment_confirmed':
        if (r.chance(0.96)) later('shipped', 4 * HOUR, 18 * HOUR);
        else later('cancelled', 10 * MINUTE, 2 * HOUR);
        break;
      case 'shipped':
        later('delivered', 1 * DAY, 1.5 * DAY);
        break;
      case 'delivered':
        if (r.chance(0.06)) later('returned', 3 * DAY, 5 * DAY);
        break;
      default:
        break;
    }
  }

  private isoTimestamp(ms: number): string {
    if (ms !== this.lastStampMs) {
      this.lastStampMs = ms;
      this.lastStamp = new Date(ms).toISOString();
    }
    return this.lastStamp;
  }

  private emit(type: EventType, order: OrderDetails, at: number): OrderEvent {
    this.scheduleNext(type, order, at);
    this.produced++;
    return {
      event_id: this.random.uuid(),
      event_type: type,
      timestamp: this.isoTimestamp(this.clock ? this.clock() : at),
      order_id: order.orderId,
      customer_name: order.customer.name,
      customer_city: order.customer.city,
      brand: order.brand,
      model: order.model,
      color: order.color,
      size: order.size,
      unit_price: order.unitPrice,
      total_amount: order.totalAmount,
      quantity: order.quantity,
    };
  }
}
