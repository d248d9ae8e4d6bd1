/** Two hex digits for each byte value, so a UUID costs 16 lookups instead of number formatting. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A small, fast, seedable pseudo-random generator (sfc32) with the helpers the
 * order generator needs. Deterministic: the same seed gives the same sequence
 * on every platform, which `Math.random` cannot promise.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads any integer seed over the four words of state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An exponentially distributed number with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A random (version 4 layout) UUID string drawn from this generator. */
  uuid(): string {
    const a = this.uint32();
    const b = this.uint32();
    const c = this.uint32();
    const d = this.uint32();
    const h = HEX_BYTE;
    return (
      h[a >>> 24]! +
      h[(a >>> 16) & 255]! +
      h[(a >>> 8) & 255]! +
      h[a & 255]! +
      '-' +
      h[b >>> 24]! +
      h[(b >>> 16) & 255]! +
      '-4' +
      h[(b >>> 8) & 15]!.charAt(1) +
      h[b & 255]! +
      '-' +
      h[0x80 | ((c >>> 24) & 0x3f)]! +
      h[(c >>> 16) & 255]! +
      '-' +
      h[(c >>> 8) & 255]! +
      h[c & 255]! +
      h[d >>> 24]! +
      h[(d >>> 16) & 255]! +
      h[(d >>> 8) & 255]! +
      h[d & 255]!
    );
  }
}

/**
 * Picks items with probability proportional to their weight, in O(log n) per
 * pick (binary search over cumulative weights).
 */
export class WeightedPicker<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(items: readonly T[], weightOf: (item: T) => number) {
    if (items.length === 0) throw new RangeError('WeightedPicker needs at least one item');
    this.items = items;
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    items.forEach((item, i) => {
      const w = weightOf(item);
      if (!(w >= 0)) throw new RangeError(`weight must be >= 0, got ${w}`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('WeightedPicker needs a positive total weight');
    this.total = sum;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
