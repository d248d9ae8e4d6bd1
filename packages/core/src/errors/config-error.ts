import { SneakpipeError } from './sneakpipe-error.js';

/**
 * A setting that is wrong: its message is one line naming the setting and
 * what is expected. Never retriable: fixing it takes a person.
 */
export class ConfigError extends SneakpipeError {
  override readonly name: string = 'ConfigError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, { retriable: false, cause: options.cause });
  }
}
