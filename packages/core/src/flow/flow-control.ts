import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';

/**
 * Counts items in flight between a source and a sink and says when the source
 * should pause — the backpressure that RxJS streams lack. Pauses when in-flight
 * items reach `highWater`, resumes when they fall to `lowWater` (hysteresis, so
 * the source does not flap).
 *
 * @example
 * ```ts
 * import { FlowControl, batch, load, type Sink } from '@sneakpipe/core';
 * import { generate, type OrderEvent } from '@sneakpipe/sneakers';
 * import { tap } from 'rxjs';
 *
 * declare const sink: Sink<OrderEvent>;
 * const flow = new FlowControl({ highWater: 50_000 });
 * generate({ paused: flow.paused$ }).pipe(
 *   tap(() => flow.acquire()),
 *   batch({ maxCount: 5_000 }),
 *   load(sink),
 *   tap((loaded) => flow.release(loaded.items.length)),
 * );
 * ```
 */
export class FlowControl {
  private readonly highWater: number;
  private readonly lowWater: number;
  private readonly state = new BehaviorSubject(false);
  private count = 0;
  private peak = 0;

  constructor(options: { highWater: number; lowWater?: number }) {
    this.highWater = options.highWater;
    this.lowWater = options.lowWater ?? Math.floor(options.highWater / 2);
    if (!(this.highWater >= 1)) throw new RangeError(`FlowControl: highWater must be >= 1, got ${this.highWater}`);
    if (!(this.lowWater >= 0 && this.lowWater < this.highWater)) {
      throw new RangeError(`FlowControl: lowWater must be in [0, highWater), got ${this.lowWater}`);
    }
  }

  /** `true` while the source should stop producing. Emits only on change. */
  get paused$(): Observable<boolean> {
    return this.state.pipe(distinctUntilChanged());
  }

  /** Whether the source should stop producing now. */
  get paused(): boolean {
    return this.state.value;
  }

  /** Items currently in flight. */
  get inFlight(): number {
    return this.count;
  }

  /** Most items ever in flight at once. */
  get peakInFlight(): number {
    return this.peak;
  }

  /** Items entered the pipeline. */
  acquire(n = 1): void {
    this.count += n;
    if (this.count > this.peak) this.peak = this.count;
    if (!this.state.value && this.count >= this.highWater) this.state.next(true);
  }

  /** Items left the pipeline (durably written, or given up on). */
  release(n = 1): void {
    this.count = Math.max(0, this.count - n);
    if (this.state.value && this.count <= this.lowWater) this.state.next(false);
  }
}
