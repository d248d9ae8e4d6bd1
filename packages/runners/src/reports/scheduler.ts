import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Cron } from 'croner';

/** A report job: a cron expression in the scheduler's time zone, and what to run. */
export interface ScheduledJob {
  readonly name: string;
  readonly cron: string;
  /** Runs the job for the occurrence scheduled at `scheduledAt` (ms). */
  run(scheduledAt: number): Promise<void>;
}

/** Time, injectable so tests run on virtual time. */
export interface SchedulerClock {
  now(): number;
  /** Resolves at `at` (ms since epoch) or when `signal` aborts. */
  sleepUntil(at: number, signal: AbortSignal): Promise<void>;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  sleepUntil: (at, signal) =>
    new Promise((resolve) => {
      // setTimeout caps at ~24.8 days; wake up at least daily and look again.
      const timer = setTimeout(resolve, Math.min(Math.max(0, at - Date.now()), 86_400_000));
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** Where the scheduler remembers the last occurrence each job completed, so missed runs can be caught up. */
export interface SchedulerState {
  load(): Promise<Record<string, number>>;
  save(state: Record<string, number>): Promise<void>;
}

/** State in a JSON file, written atomically. */
export function fileState(path: string): SchedulerState {
  return {
    async load() {
      return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Record<string, number>) : {};
    },
    async save(state) {
      await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
      await rename(`${path}.tmp`, path);
    },
  };
}

export interface SchedulerEvents {
  onStart?(job: string, scheduledAt: number, catchUp: boolean): void;
  onSuccess?(job: string, scheduledAt: number, ms: number): void;
  onFailure?(job: string, scheduledAt: number, error: unknown): void;
}

/** At most this many missed occurrences of a job are caught up after downtime (the most recent ones). */
export const MAX_CATCH_UP = 7;

/**
 * Runs report jobs on cron schedules in a time zone (DST-aware, via croner).
 * - One run at a time: occurrences that fall due together wait their turn.
 * - After downtime, the occurrences missed since the last completed one are
 *   run first (at most {@link MAX_CATCH_UP} per job), oldest first.
 * - A failed run is logged and not recorded, so the next start catches it up.
 */
export class ReportScheduler {
  private readonly crons: Map<string, Cron>;
  private readonly abort = new AbortController();
  /** Last completed occurrence per job (persisted). */
  private state: Record<string, number> = {};
  /** Last attempted occurrence per job, failed ones included (memory only). */
  private readonly attempted: Record<string, number> = {};

  constructor(
    private readonly jobs: readonly ScheduledJob[],
    private readonly options: { timeZone: string; state: SchedulerState; clock?: SchedulerClock; events?: SchedulerEvents },
  ) {
    this.crons = new Map(jobs.map((j) => [j.name, new Cron(j.cron, { timezone: options.timeZone, paused: true })]));
  }

  private get clock(): SchedulerClock {
    return this.options.clock ?? realClock;
  }

  /** The next `n` occurrences of a job after `after` (ms). */
  nextRuns(job: string, n: number, after: number): number[] {
    return this.cron(job)
      .nextRuns(n, new Date(after))
      .map((d) => d.getTime());
  }

  /** Occurrences of a job after `since` and at or before `now`, oldest first, at most {@link MAX_CATCH_UP}. */
  missedRuns(job: string, since: number | undefined, now: number): number[] {
    const recent = this.cron(job)
      .previousRuns(MAX_CATCH_UP, new Date(now + 1))
      .map((d) => d.getTime())
      .filter((t) => t <= now && (since === undefined || t > since));
    return since === undefined ? recent.slice(0, 1).reverse() : recent.reverse();
  }

  /** Catches up, then runs jobs as they fall due until {@link stop}. */
  async run(): Promise<void> {
    this.state = await this.options.state.load();
    const now = this.clock.now();
    for (const job of this.jobs) {
      // A first start runs nothing retroactively; afterwards, what was missed runs now.
      if (this.state[job.name] === undefined) {
        this.state[job.name] = now;
        continue;
      }
      for (const at of this.missedRuns(job.name, this.state[job.name], now)) await this.execute(job, at, true);
    }
    await this.options.state.save(this.state);
    while (!this.abort.signal.aborted) {
      const after = this.clock.now();
      const due = this.jobs
        .map((job) => ({
          job,
          at: this.nextRuns(job.name, 1, Math.max(after, this.attempted[job.name] ?? this.state[job.name] ?? after))[0]!,
        }))
        .sort((a, b) => a.at - b.at || a.job.name.localeCompare(b.job.name));
      await this.clock.sleepUntil(due[0]!.at, this.abort.signal);
      if (this.abort.signal.aborted) break;
      for (const { job, at } of due) if (at <= this.clock.now()) await this.execute(job, at, false);
    }
  }

  /** Stops after the run in progress, if any. */
  stop(): void {
    this.abort.abort();
  }

  private async execute(job: ScheduledJob, at: number, catchUp: boolean): Promise<void> {
    const { events } = this.options;
    events?.onStart?.(job.name, at, catchUp);
    const started = this.clock.now();
    this.attempted[job.name] = at;
    try {
      await job.run(at);
      this.state[job.name] = at;
      await this.options.state.save(this.state);
      events?.onSuccess?.(job.name, at, this.clock.now() - started);
    } catch (error) {
      // Not recorded as done: the next start catches it up.
      events?.onFailure?.(job.name, at, error);
    }
  }

  private cron(job: string): Cron {
    const cron = this.crons.get(job);
    if (!cron) throw new Error(`unknown job ${job}`);
    return cron;
  }
}
