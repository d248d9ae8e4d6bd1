#!/usr/bin/env node
import { CommanderError } from 'commander';
import { SneakpipeError } from '@sneakpipe/core';
import { SettingsError } from './config/settings.js';
import { buildProgram } from './program.js';

export { buildProgram };

/** Runs the CLI: a bad setting prints one line and exits 2; a failure logs and exits 1. */
export async function main(argv = process.argv): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof SettingsError) {
      process.stderr.write(`sneakpipe: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    // A classified error names its code, so the one line says what kind of failure stopped the command.
    const line = error instanceof Error ? error.message : String(error);
    process.stderr.write(`sneakpipe: ${error instanceof SneakpipeError ? `${line} [${error.code}]` : line}\n`);
    if (process.env.SNEAKPIPE_DEBUG) console.error(error);
    process.exitCode = 1;
  }
}

await main();
// Work is done and logged; a client library's stray socket must not keep the process alive.
setTimeout(() => process.exit(), 3_000).unref();
