import type { Logger } from '../logger.js';

/** What every command gets from the program: a logger (built after flags are parsed) and an output. */
export interface CommandContext {
  logger(): Logger;
  /** Writes a result for the user (stdout). */
  out(text: string): void;
}
