import { Observable, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RecordsGate } from './records-gate.js';

/** An observable that claims the gate and, once claimed, emits 1 and waits for `stop()`. */
const records = (gate: RecordsGate) =>
  new Observable<number>((subscriber) => {
    if (gate.claim(subscriber, 'TestSource')) subscriber.next(1);
  });

describe('RecordsGate', () => {
  it('lets one subscriber in, and stop() completes it', async () => {
    const gate = new RecordsGate();
    const all = lastValueFrom(records(gate).pipe(toArray()));
    gate.stop();
    expect(await all).toEqual([1]);
    expect(gate.stopped).toBe(true);
  });

  it('errors a second subscriber, naming the source', async () => {
    const gate = new RecordsGate();
    records(gate).subscribe();
    await expect(lastValueFrom(records(gate))).rejects.toThrow('TestSource.records() is already subscribed');
  });

  it('completes at once a subscriber that comes after stop(), handing out nothing', async () => {
    const gate = new RecordsGate();
    gate.stop();
    expect(await lastValueFrom(records(gate).pipe(toArray()))).toEqual([]);
  });
});
