/**
 * Turns values into bytes and back. `decode` throws a {@link CodecError} with a
 * readable reason when the bytes are not a valid value.
 */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** Raised by a {@link Codec} when bytes cannot become a valid value. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}
