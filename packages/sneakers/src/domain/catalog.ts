/**
 * The sneaker catalog: the original system's 8 brands with exactly its model
 * lists, a list-price range per model, colours and the EU size distribution.
 *
 * The catalog is data, not code, so that a team can add brands or models (as
 * the original system's README invites) by passing its own {@link Catalog} to
 * the generator and to `createOrderEventQualityCheck` (what the catalog does not
 * list still loads, flagged).
 */

/** One model of a brand with its list-price range in euros. */
export interface CatalogModel {
  readonly name: string;
  /** Lowest unit price seen in the shop, in euros. */
  readonly minPrice: number;
  /** Highest unit price seen in the shop, in euros. */
  readonly maxPrice: number;
}

/** One brand with its models and its share of the shop's orders. */
export interface CatalogBrand {
  readonly name: string;
  /** Relative popularity: how often an order is for this brand. */
  readonly weight: number;
  readonly models: readonly CatalogModel[];
}

/** A size and how often it is ordered, relative to the others. */
export interface SizeWeight {
  readonly size: string;
  readonly weight: number;
}

/** Everything the generator picks from. */
export interface Catalog {
  readonly brands: readonly CatalogBrand[];
  readonly colors: readonly string[];
  readonly sizes: readonly SizeWeight[];
}

const m = (name: string, minPrice: number, maxPrice: number): CatalogModel => ({ name, minPrice, maxPrice });

/** The original system's brands and models, with realistic 2025 European list prices. */
export const SNEAKER_BRANDS: readonly CatalogBrand[] = [
  {
    name: 'Nike',
    weight: 30,
    models: [
      m('Air Max', 130, 190),
      m('Air Force 1', 110, 140),
      m('Dunk', 110, 150),
      m('Jordan', 140, 230),
      m('React', 120, 170),
      m('Zoom', 120, 180),
      m('Blazer', 90, 120),
      m('Cortez', 80, 110),
    ],
  },
  {
    name: 'Adidas',
    weight: 22,
    models: [
      m('Stan Smith', 90, 120),
      m('Superstar', 90, 120),
      m('Gazelle', 100, 130),
      m('Ultra Boost', 160, 200),
      m('NMD', 130, 160),
      m('Samba', 100, 130),
      m('Yeezy', 220, 350),
    ],
  },
  {
    name: 'New Balance',
    weight: 14,
    models: [
      m('990', 200, 240),
      m('574', 90, 110),
      m('327', 100, 120),
      m('2002R', 140, 160),
      m('550', 110, 140),
      m('Fresh Foam', 120, 160),
      m('9060', 150, 180),
    ],
  },
  {
    name: 'Converse',
    weight: 8,
    models: [m('Chuck Taylor', 60, 90), m('One Star', 80, 100), m('Pro Leather', 80, 100), m('Jack Purcell', 70, 90)],
  },
  {
    name: 'Vans',
    weight: 8,
    models: [
      m('Old Skool', 70, 90),
      m('Authentic', 55, 70),
      m('Era', 60, 75),
      m('Sk8-Hi', 80, 100),
      m('Slip-On', 55, 75),
      m('Knu Skool', 90, 110),
    ],
  },
  {
    name: 'Puma',
    weight: 7,
    models: [
      m('Suede', 70, 90),
      m('Clyde', 80, 100),
      m('RS-X', 100, 120),
      m('Speedcat', 90, 110),
      m('Palermo', 90, 100),
      m('Easy Rider', 90, 110),
    ],
  },
  {
    name: 'Asics',
    weight: 6,
    models: [
      m('Gel-Lyte III', 110, 140),
      m('Gel-Kayano', 150, 190),
      m('Japan S', 70, 90),
      m('Mexico 66', 100, 120),
      m('Gel-Nimbus', 160, 200),
    ],
  },
  {
    name: 'Reebok',
    weight: 5,
    models: [
      m('Club C', 80, 100),
      m('Classic Leather', 80, 100),
      m('Pump', 150, 180),
      m('Instapump Fury', 160, 200),
      m('Question', 140, 170),
    ],
  },
];

/** Colourways, most common first. */
export const SNEAKER_COLORS: readonly string[] = [
  'White',
  'Black',
  'Grey',
  'Navy',
  'Beige',
  'Red',
  'Green',
  'Blue',
  'Brown',
  'Pink',
  'Orange',
  'Multicolor',
];

/**
 * EU sizes 35.5–47.5 and how often they sell: two bumps, around 38 (women's
 * fits) and 42–43 (men's fits), with half sizes rarer than whole ones.
 */
export const SNEAKER_SIZES: readonly SizeWeight[] = buildSizeDistribution();

function buildSizeDistribution(): SizeWeight[] {
  const sizes: SizeWeight[] = [];
  const bump = (x: number, mean: number, sd: number) => Math.exp(-((x - mean) ** 2) / (2 * sd * sd));
  for (let tenths = 355; tenths <= 475; tenths += 5) {
    const x = tenths / 10;
    const half = tenths % 10 === 5;
    const density = 0.8 * bump(x, 38.5, 1.4) + 1.0 * bump(x, 42.5, 1.6);
    const weight = Math.round(1000 * density * (half ? 0.5 : 1));
    if (weight > 0) sizes.push({ size: half ? x.toFixed(1) : String(x), weight });
  }
  return sizes;
}

/** The default catalog: the original system's brands, the colours and the size distribution above. */
export const DEFAULT_CATALOG: Catalog = {
  brands: SNEAKER_BRANDS,
  colors: SNEAKER_COLORS,
  sizes: SNEAKER_SIZES,
};
