import { describe, expect, it } from 'vitest';
import { ReportScheduler, type ScheduledJob, type SchedulerClock, type SchedulerState } from './scheduler.js';

/** Virtual time: sleeping jumps the clock; a unit-test double of the clock only. */
function virtualClock(start: number): SchedulerClock & { now(): number; set(t: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (v) => void (t = v),
    sleepUntil: async (at, signal) => {
      // One macrotask per sleep, so the test can observe and stop between runs.
      await new Promise((r) => setImmediate(r));
      if (!signal.aborted) t = Math.max(t, at);
    },
  };
}

function memoryState(initial: Record<string, number> = {}): SchedulerState & { saved: Record<string, number> } {
  const s = { saved: { ...initial } };
  return Object.assign(s, {
    load: async () => ({ ...s.saved }),
    save: async (state: Record<string, number>) => void (s.saved = { ...state }),
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('ReportScheduler', () => {
  const jobs = (runs: string[], ms = 0): ScheduledJob[] => [
    {
      name: 'daily',
      cron: '0 8 * * *',
      run: async (at) => void (runs.push(`daily ${iso(at)}`), ms && (await new Promise((r) => setTimeout(r, ms)))),
    },
    { name: 'weekly', cron: '0 9 * * 1', run: async (at) => void runs.push(`weekly ${iso(at)}`) },
  ];

  it('runs the daily report at 08:00 Paris time across the spring and autumn DST changes', () => {
    const s = new ReportScheduler(jobs([]), { timeZone: 'Europe/Paris', state: memoryState() });
    expect(s.nextRuns('daily', 3, Date.UTC(2025, 2, 28, 12)).map(iso)).toEqual([
      '2025-03-29T07:00:00.000Z', // UTC+1
      '2025-03-30T06:00:00.000Z', // UTC+2 from this night on
      '2025-03-31T06:00:00.000Z',
    ]);
    expect(s.nextRuns('daily', 3, Date.UTC(2025, 9, 24, 12)).map(iso)).toEqual([
      '2025-10-25T06:00:00.000Z',
      '2025-10-26T07:00:00.000Z', // back to UTC+1
      '2025-10-27T07:00:00.000Z',
    ]);
    expect(s.nextRuns('weekly', 2, Date.UTC(2025, 2, 25)).map(iso)).toEqual(['2025-03-31T07:00:00.000Z', '2025-04-07T07:00:00.000Z']);
  });

  it('catches up the runs missed while it was down, oldest first, then keeps the schedule', async () => {
    const runs: string[] = [];
    const clock = virtualClock(Date.UTC(2025, 3, 9, 10)); // Wednesday 12:00 Paris
    const state = memoryState({ daily: Date.UTC(2025, 3, 6, 6), weekly: Date.UTC(2025, 2, 31, 7) });
    const s = new ReportScheduler(jobs(runs), { timeZone: 'Europe/Paris', state, clock });
    const running = s.run();
    // Let the loop reach the next regular run, then stop.
    while (runs.length < 5) await new Promise((r) => setImmediate(r));
    s.stop();
    await running;
    expect(runs).toEqual([
      'daily 2025-04-07T06:00:00.000Z',
      'daily 2025-04-08T06:00:00.000Z',
      'daily 2025-04-09T06:00:00.000Z',
      'weekly 2025-04-07T07:00:00.000Z',
      'daily 2025-04-10T06:00:00.000Z',
    ]);
    expect(state.saved.daily).toBe(Date.UTC(2025, 3, 10, 6));
  });

  it('starts fresh without running anything retroactively', async () => {
    const runs: string[] = [];
    const clock = virtualClock(Date.UTC(2025, 3, 9, 10));
    const s = new ReportScheduler(jobs(runs), { timeZone: 'Europe/Paris', state: memoryState(), clock });
    const running = s.run();
    while (runs.length < 1) await new Promise((r) => setImmediate(r));
    s.stop();
    await running;
    expect(runs).toEqual(['daily 2025-04-10T06:00:00.000Z']);
  });

  it('never runs two reports at once, even when they fall due together', async () => {
    let running = 0;
    let overlap = false;
    const runs: string[] = [];
    const slow = (name: string): ScheduledJob => ({
      name,
      cron: '0 9 * * 1',
      run: async (at) => {
        running++;
        overlap ||= running > 1;
        await new Promise((r) => setTimeout(r, 20));
        runs.push(`${name} ${iso(at)}`);
        running--;
      },
    });
    const clock = virtualClock(Date.UTC(2025, 3, 13));
    const s = new ReportScheduler([slow('a'), slow('b')], {
      timeZone: 'UTC',
      state: memoryState({ a: Date.UTC(2025, 3, 1), b: Date.UTC(2025, 3, 1) }),
      clock,
    });
    const done = s.run();
    while (runs.length < 4) await new Promise((r) => setTimeout(r, 5));
    s.stop();
    await done;
    expect(overlap).toBe(false);
    expect(runs.slice(0, 4)).toEqual([
      'a 2025-04-07T09:00:00.000Z',
      'b 2025-04-07T09:00:00.000Z',
      'a 2025-04-14T09:00:00.000Z',
      'b 2025-04-14T09:00:00.000Z',
    ]);
  });

  it('does not record a failed run, so the next start catches it up', async () => {
    const state = memoryState({ daily: Date.UTC(2025, 3, 7, 6) });
    const clock = virtualClock(Date.UTC(2025, 3, 8, 10));
    let attempts = 0;
    const failing: ScheduledJob = {
      name: 'daily',
      cron: '0 8 * * *',
      run: async () =>
        void (
          attempts++,
          (() => {
            throw new Error('warehouse down');
          })()
        ),
    };
    const failures: number[] = [];
    const s = new ReportScheduler([failing], {
      timeZone: 'Europe/Paris',
      state,
      clock,
      events: { onFailure: (_n, at) => failures.push(at) },
    });
    const done = s.run();
    while (attempts < 2) await new Promise((r) => setImmediate(r));
    s.stop();
    await done;
    expect(failures.map(iso)).toEqual(['2025-04-08T06:00:00.000Z', '2025-04-09T06:00:00.000Z']);
    expect(state.saved.daily).toBe(Date.UTC(2025, 3, 7, 6));
  });
});
