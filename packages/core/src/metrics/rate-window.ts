/**
 * Counts events over a sliding window of whole seconds: what a
 * "per minute" gauge shows (events in the last 60 s), read at scrape time.
 * O(1) per add, no allocation. Needs no prom-client itself; pair it with a
 * gauge's `collect`.
 *
 * @example
 * ```ts
 * import { RateWindow } from '@sneakpipe/core/metrics';
 * import { Gauge } from 'prom-client';
 *
 * const lastMinute = new RateWindow(60);
 * new Gauge({
 *   name: 'orders_per_minute',
 *   help: 'Orders loaded in the last 60 seconds.',
 *   collect() {
 *     this.set(lastMinute.total());
 *   },
 * });
 * lastMinute.add(500); // after a batch of 500 orders loaded
 * ```
 */
export class RateWindow {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;

  /**
   * @param windowSeconds the window's length, in whole seconds. Default 60.
   * @param now the clock, in epoch milliseconds (a test's fake clock). Default `Date.now`.
   */
  constructor(
    private readonly windowSeconds = 60,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Float64Array(windowSeconds);
    this.stamps = new Float64Array(windowSeconds).fill(-1);
  }

  /** Counts `n` events (default 1) in the current second. */
  add(n = 1): void {
    const second = Math.floor(this.now() / 1000);
    const slot = second % this.windowSeconds;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot]! += n;
  }

  /** Events counted in the last `windowSeconds` seconds (the current one included). */
  total(): number {
    const second = Math.floor(this.now() / 1000);
    let sum = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      if (second - this.stamps[i]! < this.windowSeconds) sum += this.buckets[i]!;
    }
    return sum;
  }
}
