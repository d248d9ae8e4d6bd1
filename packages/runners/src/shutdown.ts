import { ReplaySubject, type Observable } from 'rxjs';
import type { Logger } from './logger.js';

/**
 * SIGINT/SIGTERM as an observable that fires once. A second signal while
 * shutting down exits at once (code 130), for an operator who means it.
 */
export function shutdownSignal(log: Logger): { stop$: Observable<string>; dispose(): void } {
  // Replays: work that subscribes after the signal still sees it.
  const stop$ = new ReplaySubject<string>(1);
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(130);
    }
    received = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    stop$.next(signal);
    stop$.complete();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop$,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
