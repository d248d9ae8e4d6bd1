import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * The runners' logger: JSON lines on stderr (for log shippers), pretty and
 * coloured when stderr is a terminal. stdout is left to results.
 */
export function createLogger(level = 'info', options: { pretty?: boolean } = {}): Logger {
  const usePretty = options.pretty ?? process.stderr.isTTY === true;
  const base = {
    level,
    base: { service: 'sneakpipe' },
    redact: { paths: ['password', '*.password', 'passphrase', '*.passphrase', 'privateKey', '*.privateKey'], censor: '[redacted]' },
  };
  if (usePretty) {
    return pino(base, pretty({ destination: 2, colorize: true, sync: true, ignore: 'pid,hostname,service' }));
  }
  return pino(base, pino.destination({ fd: 2, sync: true }));
}

/**
 * The one warning known to be harmless, logged at debug level only: kafkajs
 * 2.2.4 (no longer released) computes a negative delay in its request queue,
 * which Node 24 reports on every connection (tulios/kafkajs#1751); Node waits
 * 1 ms, as kafkajs meant.
 */
const isHarmless = (w: Error) => w.name === 'TimeoutNegativeWarning' && /requestQueue/.test(w.stack ?? '');

/**
 * Node's process warnings through the logger instead of raw text on stderr,
 * which broke the JSON lines of a production log: each as one `warn` line
 * (name, code, message), the known-harmless ones at `debug`.
 */
export function logProcessWarnings(logger: Logger): void {
  // Node's own printer is a 'warning' listener like any other.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    const fields = { warning: warning.name, ...(warning.code ? { code: warning.code } : {}) };
    if (isHarmless(warning)) logger.debug(fields, warning.message);
    else logger.warn(fields, `${warning.name}: ${warning.message}`);
  });
}
