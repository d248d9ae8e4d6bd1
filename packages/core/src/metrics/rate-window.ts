/**
 * Counts events over a sliding window of whole seconds — the value behind the
 * original system's `*_per_minute` gauges. O(1) per add, no allocation.
 */
export class RateWindow {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;

  constructor(
    private readonly windowSeconds = 60,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Float64Array(windowSeconds);
    this.stamps = new Float64Array(windowSeconds).fill(-1);
  }

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
