import { BehaviorSubject, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fromIterable } from './from-iterable.js';

describe('fromIterable()', () => {
  it('emits every item of a sync or async iterable, in order', async () => {
    const paused = new BehaviorSubject(false);
    expect(await lastValueFrom(fromIterable([1, 2, 3], { paused }).pipe(toArray()))).toEqual([1, 2, 3]);
    async function* letters() {
      yield* ['a', 'b'];
    }
    expect(await lastValueFrom(fromIterable(letters(), { paused }).pipe(toArray()))).toEqual(['a', 'b']);
  });

  it('pulls nothing while paused, however many items the iterable has', async () => {
    const paused = new BehaviorSubject(false);
    let pulled = 0;
    function* endless() {
      for (;;) yield ++pulled;
    }
    const seen: number[] = [];
    const subscription = fromIterable(endless(), { paused }).subscribe((n) => {
      seen.push(n);
      if (n === 5) paused.next(true); // what a FlowControl does when its high water is reached
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBe(5);
    paused.next(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    subscription.unsubscribe();
    expect(pulled).toBeGreaterThan(5);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
  });

  it('calls the iterator’s return() when unsubscribed', async () => {
    let closed = false;
    function* items() {
      try {
        for (;;) yield 1;
      } finally {
        closed = true;
      }
    }
    const paused = new BehaviorSubject(false);
    const subscription = fromIterable(items(), { paused, yieldEvery: 10 }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 10));
    subscription.unsubscribe();
    expect(closed).toBe(true);
  });
});
