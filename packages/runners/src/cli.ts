#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { consumeCommand } from './commands/consume.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { statusCommand } from './commands/status.js';
import { demoCommand } from './commands/demo.js';
import { produceCommand } from './commands/produce.js';
import { reportCommand } from './commands/report.js';
import { scheduleCommand } from './commands/schedule.js';
import { seedCommand } from './commands/seed.js';
import type { CommandContext } from './commands/context.js';
import { SneakpipeError } from '@sneakpipe/core';
import { SettingsError } from './config/settings.js';
import { logLevel } from './config/schemas.js';
import { createLogger, type Logger } from './logger.js';
import { VERSION } from './version.js';

/** Builds the `sneakpipe` program; exported so tests can run it in-process. */
export function buildProgram(): Command {
  let logger: Logger | undefined;
  const program = new Command('sneakpipe')
    .description('Real-time ETL for a sneaker shop: generate orders, stream them through Kafka, load them into Snowflake or DuckDB.')
    .version(VERSION)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (env SNEAKPIPE_LOG_LEVEL)')
    .showHelpAfterError('(add --help for usage)');
  const context: CommandContext = {
    logger() {
      if (!logger) {
        const raw = program.opts<{ logLevel?: string }>().logLevel ?? process.env.SNEAKPIPE_LOG_LEVEL ?? 'info';
        const level = logLevel.safeParse(raw);
        if (!level.success)
          throw new SettingsError(`invalid setting --log-level: ${level.error.issues[0]?.message}; got ${JSON.stringify(raw)}`);
        logger = createLogger(level.data);
      }
      return logger;
    },
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  };
  program.addCommand(demoCommand(context));
  program.addCommand(produceCommand(context));
  program.addCommand(consumeCommand(context));
  program.addCommand(seedCommand(context));
  program.addCommand(reportCommand(context));
  program.addCommand(scheduleCommand(context));
  program.addCommand(deadLettersCommand(context));
  program.addCommand(statusCommand(context));
  return program;
}

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
