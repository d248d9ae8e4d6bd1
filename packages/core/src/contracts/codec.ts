import { SneakpipeError } from '../errors/sneakpipe-error.js';

/**
 * Turns values into bytes and back. `decode` throws a {@link CodecError} with a
 * readable reason when the bytes are not a valid value.
 */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/**
 * Raised by a {@link Codec} when bytes cannot become a valid value. Code
 * `CODEC_INVALID`, never retriable: the same bytes fail the same way (the
 * record becomes a dead letter).
 */
export class CodecError extends SneakpipeError {
  override readonly name: string = 'CodecError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CODEC_INVALID', message, { retriable: false, cause: options.cause });
  }
}
