import { DEFAULT_CATALOG, type Catalog } from './catalog.js';
import { EVENT_TYPES } from './lifecycle.js';
import { hasTimeZone } from './iso-timestamp.js';
import { roundToCents, type ReceivedOrderEvent } from './order-event.js';

/**
 * What can be unexpected about a valid event. Such an event loads, with its
 * flags in `QUALITY_FLAGS`, so that it can be found, counted and fixed.
 */
export const QUALITY_FLAGS = [
  'unknown_event_type',
  'unknown_brand',
  'unknown_model',
  'unknown_color',
  'unknown_size',
  'total_mismatch',
  'sub_cent_amount',
  'timestamp_without_zone',
] as const;

/** One data-quality flag. */
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

const hasSubCents = (amount: number) => Math.abs(roundToCents(amount) - amount) > 1e-9;

/**
 * Builds the data-quality check of a catalog: the flags of an event that the
 * schema accepted, e.g. a model the catalog does not list yet (shops add
 * models every week) or a total that differs from price × quantity (a
 * discount). An empty list means nothing unexpected.
 *
 * @example
 * ```ts
 * import { createOrderEventQualityCheck, type ReceivedOrderEvent } from '@sneakpipe/sneakers';
 *
 * declare const event: ReceivedOrderEvent;
 * const flagsOf = createOrderEventQualityCheck();
 * flagsOf({ ...event, model: 'Air Max 90' }); // ['unknown_model']
 * ```
 */
export function createOrderEventQualityCheck(catalog: Catalog = DEFAULT_CATALOG): (event: ReceivedOrderEvent) => readonly QualityFlag[] {
  const modelsByBrand = new Map(catalog.brands.map((b) => [b.name, new Set(b.models.map((x) => x.name))]));
  const colors = new Set(catalog.colors);
  const sizes = new Set(catalog.sizes.map((s) => s.size));
  const eventTypes: ReadonlySet<string> = new Set(EVENT_TYPES);
  return (e) => {
    // Most events have no flag: no array for them (this runs twice per event, for the row and the metrics).
    let flags: QualityFlag[] | undefined;
    const flag = (f: QualityFlag) => (flags ??= []).push(f);
    if (!eventTypes.has(e.event_type)) flag('unknown_event_type');
    const models = modelsByBrand.get(e.brand);
    if (!models) flag('unknown_brand');
    else if (!models.has(e.model)) flag('unknown_model');
    if (!colors.has(e.color)) flag('unknown_color');
    if (!sizes.has(e.size)) flag('unknown_size');
    if (Math.abs(roundToCents(e.unit_price * e.quantity) - e.total_amount) > 0.005) flag('total_mismatch');
    if (hasSubCents(e.unit_price) || hasSubCents(e.total_amount)) flag('sub_cent_amount');
    if (!hasTimeZone(e.timestamp)) flag('timestamp_without_zone');
    return flags ?? NO_FLAGS;
  };
}

const NO_FLAGS: readonly QualityFlag[] = Object.freeze([]);

/** The data-quality check of the default catalog. */
export const orderEventQualityFlags = createOrderEventQualityCheck();
