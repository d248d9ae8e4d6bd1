import { Command } from 'commander';
import { consumeCommand } from './commands/consume.js';
import { deadLettersCommand } from './commands/dead-letters/index.js';
import { statusCommand } from './commands/status.js';
import { schemaCommand } from './commands/schema.js';
import { demoCommand } from './commands/demo.js';
import { produceCommand } from './commands/produce.js';
import { reportCommand } from './commands/report.js';
import { scheduleCommand } from './commands/schedule.js';
import { seedCommand } from './commands/seed.js';
import { settingsCommand } from './commands/settings.js';
import { snowflakeCommand } from './commands/snowflake-setup.js';
import type { CommandContext } from './commands/context.js';
import { logSettings } from './config/log-settings.js';
import { addSettings, resolveSettings } from './config/settings.js';
import { createLogger, logProcessWarnings, type Logger } from './logger.js';
import { VERSION } from './version.js';

/** Builds the `sneakpipe` program (no side effect: `cli.ts` runs it; tests and the docs generator read it). */
export function buildProgram(): Command {
  let logger: Logger | undefined;
  const program = new Command('sneakpipe')
    .description('Real-time ETL for a sneaker shop: generate orders, stream them through Kafka, load them into Snowflake or DuckDB.')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)');
  addSettings(program, logSettings);
  const context: CommandContext = {
    logger() {
      if (!logger) {
        const { logLevel, logFormat } = resolveSettings(logSettings, program.opts());
        logger = createLogger(logLevel, logFormat === 'auto' ? {} : { pretty: logFormat === 'pretty' });
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
  program.addCommand(schemaCommand(context));
  program.addCommand(snowflakeCommand(context));
  // For the docs generator (scripts/settings-docs.mjs), not for users: left out of `--help`.
  program.addCommand(settingsCommand(context), { hidden: true });
  return program;
}
