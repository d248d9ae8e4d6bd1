import type { Subscriber } from 'rxjs';

/**
 * The lifecycle both group sources share: `records()` has one subscriber at a
 * time, a source stopped before it is subscribed completes at once, and
 * `stop()` completes the subscriber so the pipeline can flush and commit.
 */
export class RecordsGate {
  /** Set by `stop()`, `close()` or an unsubscribe: nothing more is handed out. */
  stopped = false;
  private taken = false;
  private complete: (() => void) | null = null;

  /**
   * Claims the records for `subscriber`. `false` when the caller must not
   * start: the subscriber was errored (already subscribed) or completed
   * (already stopped).
   */
  claim(subscriber: Subscriber<unknown>, owner: string): boolean {
    if (this.taken) {
      subscriber.error(new Error(`${owner}.records() is already subscribed`));
      return false;
    }
    this.taken = true;
    if (this.stopped) {
      subscriber.complete();
      return false;
    }
    this.complete = () => subscriber.complete();
    return true;
  }

  /** Stops handing out records and completes the subscriber, if any. */
  stop(): void {
    this.stopped = true;
    this.complete?.();
  }
}
