import { z } from 'zod';

/** Headline figures of a period. Rates are `null` when there is no order to divide by. */
export const KpisSchema = z.object({
  orders: z.number().int().nonnegative(),
  revenue: z.number().nonnegative(),
  averageOrderValue: z.number().nonnegative().nullable(),
  units: z.number().int().nonnegative(),
  customers: z.number().int().nonnegative(),
  cancellations: z.number().int().nonnegative(),
  returns: z.number().int().nonnegative(),
  /** Cancellations in the period / orders created in the period. */
  cancellationRate: z.number().nonnegative().nullable(),
  /** Returns in the period / orders created in the period. */
  returnRate: z.number().nonnegative().nullable(),
  /** Events of the period that loaded with data-quality flags (QUALITY_FLAGS), e.g. a model the catalog does not list. */
  flaggedEvents: z.number().int().nonnegative(),
});
export type Kpis = z.infer<typeof KpisSchema>;

/** Relative change from the previous period, `null` when the previous value was 0. */
export const ChangeSchema = z.record(z.string(), z.number().nullable());

const RankedSchema = z.object({ name: z.string(), orders: z.number(), revenue: z.number(), units: z.number() });
const WindowSchema = z.object({ start: z.iso.datetime(), end: z.iso.datetime(), timeZone: z.string() });

/** What every report carries: its window, when it was made, the KPIs, the previous period's, and the change. */
const ReportHeaderShape = {
  window: WindowSchema,
  generatedAt: z.iso.datetime(),
  empty: z.boolean(),
  kpis: KpisSchema,
  previous: KpisSchema,
  change: ChangeSchema,
};

/** `daily-YYYY-MM-DD.json`: the 24 h ending at 08:00 local time of `date`. */
export const DailyReportSchema = z.object({
  kind: z.literal('daily'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  ...ReportHeaderShape,
  top: z.object({
    brands: z.array(RankedSchema),
    models: z.array(RankedSchema),
    sizes: z.array(RankedSchema),
    cities: z.array(RankedSchema),
  }),
  /** Orders and revenue per local hour of day (0–23). */
  hourly: z.array(z.object({ hour: z.number().int().min(0).max(23), orders: z.number(), revenue: z.number() })).length(24),
});
export type DailyReport = z.infer<typeof DailyReportSchema>;

/** `weekly-YYYY-Www.json`: the 7 days from Monday 09:00 of the week to the next Monday 09:00, local time. */
export const WeeklyReportSchema = z.object({
  kind: z.literal('weekly'),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  ...ReportHeaderShape,
  dailyRevenueByBrand: z.array(z.object({ date: z.string(), brand: z.string(), revenue: z.number() })),
  brandGrowth: z.array(
    z.object({
      brand: z.string(),
      revenue: z.number(),
      previousRevenue: z.number(),
      growth: z.number().nullable(),
      trend: z.enum(['growing', 'declining', 'stable']),
    }),
  ),
  revenueByCity: z.array(RankedSchema),
  /** Orders per local weekday (0 = Monday) and hour. */
  heatmap: z.array(z.object({ weekday: z.number().int().min(0).max(6), hour: z.number().int().min(0).max(23), orders: z.number() })),
  sizes: z.array(RankedSchema),
  repeatCustomerRate: z.number().nullable(),
  stockCover: z.array(
    z.object({
      brand: z.string(),
      model: z.string(),
      size: z.string(),
      unitsSold: z.number(),
      stock: z.number(),
      daysOfCover: z.number().nullable(),
    }),
  ),
  anomalies: z.array(
    z.object({
      date: z.string(),
      hour: z.number().int().nullable(),
      orders: z.number(),
      expected: z.number(),
      deviation: z.number(),
      direction: z.enum(['high', 'low']),
    }),
  ),
});
export type WeeklyReport = z.infer<typeof WeeklyReportSchema>;
