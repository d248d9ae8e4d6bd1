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
