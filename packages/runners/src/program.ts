import { Command } from 'commander';
import { consumeCommand } from './commands/consume.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { statusCommand } from './commands/status.js';
import { demoCommand } from './commands/demo.js';
import { produceCommand } from './commands/produce.js';
import { reportCommand } from './commands/report.js';
import { scheduleCommand } from './commands/schedule.js';
import { seedCommand } from './commands/seed.js';
import type { CommandContext } from './commands/context.js';
import { SettingsError } from './config/settings.js';
import { z } from 'zod';
import { createLogger, logProcessWarnings, type Logger } from './logger.js';
import { VERSION } from './version.js';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'expected one of fatal, error, warn, info, debug, trace, silent',
});

const logFormat = z.enum(['auto', 'json', 'pretty'], { error: 'expected one of auto, json, pretty' });

/** Builds the `sneakpipe` program (no side effect: `cli.ts` runs it; tests and the docs generator read it). */
export function buildProgram(): Command {
  let logger: Logger | undefined;
  const program = new Command('sneakpipe')
    .description('Real-time ETL for a sneaker shop: generate orders, stream them through Kafka, load them into Snowflake or DuckDB.')
    .version(VERSION)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (env SNEAKPIPE_LOG_LEVEL)')
    .option(
      '--log-format <format>',
      'auto (readable on a terminal, JSON lines otherwise), json or pretty (env SNEAKPIPE_LOG_FORMAT, default auto)',
    )
    .showHelpAfterError('(add --help for usage)');
  const context: CommandContext = {
    logger() {
      if (!logger) {
        const raw = program.opts<{ logLevel?: string }>().logLevel ?? process.env.SNEAKPIPE_LOG_LEVEL ?? 'info';
        const level = logLevel.safeParse(raw);
        if (!level.success)
          throw new SettingsError(`invalid setting --log-level: ${level.error.issues[0]?.message}; got ${JSON.stringify(raw)}`);
        const rawFormat = program.opts<{ logFormat?: string }>().logFormat ?? process.env.SNEAKPIPE_LOG_FORMAT ?? 'auto';
        const format = logFormat.safeParse(rawFormat);
        if (!format.success)
          throw new SettingsError(`invalid setting --log-format: ${format.error.issues[0]?.message}; got ${JSON.stringify(rawFormat)}`);
        logger = createLogger(level.data, format.data === 'auto' ? {} : { pretty: format.data === 'pretty' });
        logProcessWarnings(logger);
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
