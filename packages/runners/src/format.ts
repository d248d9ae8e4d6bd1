import type { BrandRevenue } from '@sneakpipe/sneakers';

const int = new Intl.NumberFormat('en-US');
const euros = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `1,234,567` */
export const formatInt = (n: number) => int.format(Math.round(n));
/** `1,234.50` */
export const formatEuros = (n: number) => euros.format(n);

const NUMBER = /^(-|[-+]?[\d,. ]+(%| €|€)?)$/;

/** A plain-text table: the first column and text columns left-aligned, columns of numbers right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const numeric = headers.map((_, c) => c > 0 && rows.every((r) => NUMBER.test(r[c]!)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatTopBrands(brands: readonly BrandRevenue[]): string {
  if (brands.length === 0) return '(no orders in the last 24 hours)';
  return formatTable(
    ['BRAND', 'ORDERS', 'REVENUE (EUR)', 'AVG ORDER (EUR)'],
    brands.map((b) => [b.brand, formatInt(b.orders), formatEuros(b.revenue), formatEuros(b.averageOrderValue)]),
  );
}
