import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowControl } from './flow-control.js';

describe('FlowControl', () => {
  it('pauses at highWater, resumes at lowWater, and counts the peak', () => {
    const flow = new FlowControl({ highWater: 10, lowWater: 4 });
    const states: boolean[] = [];
    flow.paused$.subscribe((p) => states.push(p));
    flow.acquire(9);
    expect(flow.paused).toBe(false);
    flow.acquire(1);
    expect(flow.paused).toBe(true);
    flow.release(5);
    expect(flow.paused).toBe(true); // 5 > lowWater: hysteresis
    flow.release(1);
    expect(flow.paused).toBe(false);
    expect(states).toEqual([false, true, false]);
    expect(flow.peakInFlight).toBe(10);
  });

  it('is paused exactly when in-flight crossed highWater and has not fallen to lowWater since', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 100 }), (high, moves) => {
        const low = Math.floor(high / 2);
        const flow = new FlowControl({ highWater: high, lowWater: low });
        let count = 0;
        let paused = false;
        for (const m of moves) {
          if (m >= 0) (flow.acquire(m), (count += m));
          else (flow.release(-m), (count = Math.max(0, count + m)));
          if (count >= high) paused = true;
          if (count <= low) paused = false;
          expect(flow.inFlight).toBe(count);
          expect(flow.paused).toBe(paused);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('rejects nonsense bounds', () => {
    expect(() => new FlowControl({ highWater: 0 })).toThrow(/highWater/);
    expect(() => new FlowControl({ highWater: 5, lowWater: 5 })).toThrow(/lowWater/);
  });
});
