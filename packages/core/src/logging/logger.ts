/**
 * What the library logs through: the shape of pino's logger (a fields object,
 * then the message), so an application passes its own (pino, or anything with
 * these three methods). Without one, {@link consoleLogger} prints warnings.
 */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

/**
 * The default logger: `info` and `warn` as one line each on stderr
 * (`warn: warehouse load failed, retrying in 0.2 s (attempt 1): ... [WAREHOUSE_UNAVAILABLE]`),
 * `debug` dropped. Nothing the library retries goes unsaid, even when the
 * application passes no logger.
 */
export const consoleLogger: Logger = {
  info: (_fields, message) => console.error(`info: ${message}`),
  warn: (_fields, message) => console.error(`warn: ${message}`),
  debug: () => undefined,
};

/** A logger that says nothing: for tests and for applications that count retries themselves. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, debug: () => undefined };
