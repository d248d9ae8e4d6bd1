import { Subject, type Observable } from 'rxjs';
import type { Logger } from './logger.js';

/**
 * SIGINT/SIGTERM as an observable that fires once. A second signal while
 * shutting down exits at once (code 130), for an operator who means it.
 */
export function shutdownSignal(log: Logger): { stop$: Observable<string>; dispose(): void } {
  const stop$ = new Subject<string>();
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
