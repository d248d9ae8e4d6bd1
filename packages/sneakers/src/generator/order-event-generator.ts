import { DEFAULT_CATALOG, type Catalog, type CatalogBrand, type CatalogModel } from '../domain/catalog.js';
import type { EventType } from '../domain/lifecycle.js';
import { roundToCents, type OrderEvent } from '../domain/order-event.js';
import { createCustomerPool, pickCustomer, type Customer } from './customers.js';
import { MinHeap } from './min-heap.js';
import { Random, WeightedPicker } from './random.js';
import { afterIntensity } from './seasonality.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Options of {@link OrderEventGenerator}. Every field has a sensible default. */
export interface OrderGeneratorOptions {
  /** Same seed, same events (timestamps aside in live mode). Default 42. */
  seed?: number;
  /** Brands, models, colours and sizes to draw from. Default: the original system's catalog. */
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

/** The details that every event of one order repeats, and what happens to it next. */
interface OrderDetails {
  readonly orderId: number;
  readonly customerName: string;
  readonly customerCity: string;
  readonly brand: string;
  readonly model: string;
  readonly color: string;
  readonly size: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly totalAmount: number;
  /** The order's next event: an order has at most one scheduled at a time, so it waits in the heap itself. */
  next: EventType;
}

/** A brand with the picker of its models, so a pick needs no lookup by name. */
interface BrandEntry {
  readonly name: string;
  readonly weight: number;
  readonly models: WeightedPicker<CatalogModel>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const HOUR_MINUTES: readonly string[] = Array.from({ length: 1440 }, (_, m) => `${pad(Math.floor(m / 60), 2)}:${pad(m % 60, 2)}:`);
const SECONDS: readonly string[] = Array.from({ length: 60 }, (_, s) => `${pad(s, 2)}.`);
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => `${pad(ms, 3)}Z`);
/** 9999-12-31T23:59:59.999Z: past it (and before 1970) `toISOString` is used as is. */
const MAX_FAST_ISO_MS = 253_402_300_799_999;

/**
 * `new Date(ms).toISOString()`, the same text, from the day's and the
 * minute's prefix (formatted once each) and small tables: formatting a `Date`
 * per event was a quarter of the generator's time.
 */
class IsoTimestamps {
  private lastMs = NaN;
  private last = '';
  private minute = NaN;
  private minutePrefix = '';
  private day = NaN;
  private dayPrefix = '';

  format(ms: number): string {
    if (ms === this.lastMs) return this.last;
    this.lastMs = ms;
    if (!(ms >= 0 && ms <= MAX_FAST_ISO_MS && Number.isInteger(ms))) return (this.last = new Date(ms).toISOString());
    const minute = Math.floor(ms / MINUTE);
    if (minute !== this.minute) {
      this.minute = minute;
      const day = Math.floor(minute / 1440);
      if (day !== this.day) {
        this.day = day;
        this.dayPrefix = new Date(day * DAY).toISOString().slice(0, 11);
      }
      this.minutePrefix = this.dayPrefix + HOUR_MINUTES[minute - day * 1440]!;
    }
    const inMinute = ms - minute * MINUTE;
    const second = Math.floor(inMinute / SECOND);
    return (this.last = this.minutePrefix + (SECONDS[second]! + MILLIS[inMinute - second * SECOND]!));
  }
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
 * import { OrderEventGenerator } from '@sneakpipe/sneakers';
 *
 * const generator = new OrderEventGenerator({ seed: 7, start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 8) });
 * for (const event of generator) console.log(event.event_type, event.brand);
 * ```
 */
export class OrderEventGenerator implements IterableIterator<OrderEvent> {
  private readonly random: Random;
  private readonly pool: readonly Customer[];
  private readonly brands: WeightedPicker<BrandEntry>;
  private readonly colors: WeightedPicker<string>;
  private readonly sizes: WeightedPicker<string>;
  private readonly pending = new MinHeap<OrderDetails>();
  private readonly end: number;
  private readonly meanGapMs: number;
  private readonly seasonality: boolean;
  private readonly speedup: number;
  private readonly clock: (() => number) | undefined;
  private nextArrival: number;
  private nextOrderId: number;
  private produced = 0;
  private readonly timestamps = new IsoTimestamps();

  constructor(options: OrderGeneratorOptions = {}) {
    const seed = options.seed ?? 42;
    const catalog = options.catalog ?? DEFAULT_CATALOG;
    const ordersPerDay = options.ordersPerDay ?? 2000;
    if (!(ordersPerDay > 0)) throw new RangeError(`ordersPerDay must be > 0, got ${ordersPerDay}`);
    this.speedup = options.lifecycleSpeedup ?? 1;
    if (!(this.speedup > 0)) throw new RangeError(`lifecycleSpeedup must be > 0, got ${this.speedup}`);
    this.random = new Random(seed);
    this.pool = typeof options.customers === 'object' ? options.customers : createCustomerPool(seed, options.customers ?? 5000);
    // Within a brand the first models listed are the classics and sell most.
    const entry = (b: CatalogBrand): BrandEntry => ({
      name: b.name,
      weight: b.weight,
      models: new WeightedPicker(b.models, (x) => 1 / Math.sqrt(b.models.indexOf(x) + 1)),
    });
    this.brands = new WeightedPicker(catalog.brands.map(entry), (b) => b.weight);
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
      const order = this.pending.pop()!;
      return this.emit(order.next, order, dueAt);
    }
    const at = this.nextArrival;
    if (at > this.end) return undefined;
    this.advanceArrival();
    return this.emit('order_created', this.newOrder(), at);
  }

  private advanceArrival(): void {
    const gap = this.random.exponential(this.meanGapMs);
    this.nextArrival = this.seasonality
      ? Math.max(this.nextArrival + 1, Math.round(afterIntensity(this.nextArrival, gap)))
      : this.nextArrival + Math.max(1, Math.round(gap));
  }

  private newOrder(): OrderDetails {
    const r = this.random;
    const brand = this.brands.pick(r);
    const model = brand.models.pick(r);
    // Shop prices end in .99 or .49, within the model's list-price range.
    const raw = model.minPrice + r.next() * (model.maxPrice - model.minPrice);
    const unitPrice = roundToCents(Math.max(model.minPrice, Math.round(raw * 2) / 2) - 0.01);
    const q = r.next();
    const quantity = q < 0.8 ? 1 : q < 0.95 ? 2 : 3;
    const orderId = this.nextOrderId++;
    const customer = pickCustomer(this.pool, r);
    return {
      orderId,
      customerName: customer.name,
      customerCity: customer.city,
      brand: brand.name,
      model: model.name,
      color: this.colors.pick(r),
      size: this.sizes.pick(r),
      unitPrice,
      quantity,
      totalAmount: roundToCents(unitPrice * quantity),
      next: 'order_created',
    };
  }

  /** Schedules what happens next to an order after `type` at time `at`. */
  private scheduleNext(type: EventType, order: OrderDetails, at: number): void {
    const r = this.random;
    const later = (next: EventType, minMs: number, meanMs: number) => {
      order.next = next;
      this.pending.push(at + Math.round((minMs + r.exponential(meanMs)) / this.speedup), order);
    };
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

  private emit(type: EventType, order: OrderDetails, at: number): OrderEvent {
    this.scheduleNext(type, order, at);
    this.produced++;
    return {
      event_id: this.random.uuid(),
      event_type: type,
      timestamp: this.timestamps.format(this.clock ? this.clock() : at),
      order_id: order.orderId,
      customer_name: order.customerName,
      customer_city: order.customerCity,
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
