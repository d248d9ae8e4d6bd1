/**
 * When people buy sneakers: relative order intensity by hour of day (UTC) and
 * by day of week. Evenings and weekends are busiest; nights are quiet.
 */
export const HOURLY_INTENSITY: readonly number[] = [
  0.35, 0.2, 0.12, 0.08, 0.07, 0.1, 0.2, 0.4, 0.6, 0.75, 0.85, 0.95, 1.1, 1.05, 0.9, 0.9, 0.95, 1.1, 1.45, 1.75, 1.9, 1.7, 1.2, 0.7,
];

/** Sunday = 0, as `Date.getUTCDay()` counts. */
export const WEEKDAY_INTENSITY: readonly number[] = [1.25, 0.85, 0.9, 0.95, 1.0, 1.1, 1.35];

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
const MEAN_INTENSITY = (HOURLY_INTENSITY.reduce((a, b) => a + b, 0) / 24) * (WEEKDAY_INTENSITY.reduce((a, b) => a + b, 0) / 7);

/** Relative order intensity at an instant, normalised so a week averages 1. */
export function intensityAt(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS) % 24;
  const weekday = (Math.floor(ms / (24 * HOUR_MS)) + 4) % 7; // 1970-01-01 was a Thursday
  return (HOURLY_INTENSITY[hour]! * WEEKDAY_INTENSITY[weekday]!) / MEAN_INTENSITY;
}

/**
 * The instant at which `work` ms of average-intensity time have passed since
 * `from`, walking the hourly intensity hour by hour. Arrivals drawn this way
 * form a Poisson process whose rate follows {@link intensityAt}: a gap that
 * starts in a quiet hour still speeds up when the busy hours come, where a gap
 * drawn at the starting hour's rate would skip most of a day.
 */
export function afterIntensity(from: number, work: number): number {
  if (!(work > 0)) return from;
  if (!Number.isFinite(from) || !Number.isFinite(work)) return Infinity;
  // A whole week holds exactly a week of average-intensity time (the normalisation): skip them, so the walk is at most 169 hours.
  const weeks = Math.floor(work / WEEK_MS);
  let at = from + weeks * WEEK_MS;
  let left = work - weeks * WEEK_MS;
  for (;;) {
    const rate = intensityAt(at);
    const hourEnd = (Math.floor(at / HOUR_MS) + 1) * HOUR_MS;
    const capacity = (hourEnd - at) * rate;
    if (left <= capacity) return at + left / rate;
    left -= capacity;
    at = hourEnd;
  }
}
