import { ConfigError, fields, setting } from '@sneakpipe/core';
import { Command } from 'commander';
import { SnowflakeSettingsSchema } from '@sneakpipe/connectors/settings';
import { WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { snowflakeSettings } from '../config/snowflake-settings.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

const settings = {
  snowflakeDatabase: snowflakeSettings.snowflakeDatabase,
  snowflakeSchema: snowflakeSettings.snowflakeSchema,
  snowflakeLoadMethod: snowflakeSettings.snowflakeLoadMethod,
  role: setting(fields.nonEmpty('a role name').default('SNEAKPIPE_LOADER'), {
    flag: 'role',
    value: 'name',
    description: "the loader's role",
  }),
  user: setting(fields.nonEmpty('a user name').default('SNEAKPIPE_LOADER'), {
    flag: 'user',
    value: 'name',
    description: "the loader's service user (key-pair only)",
  }),
  warehouse: setting(fields.nonEmpty('a warehouse name').default('LOAD_WH'), {
    flag: 'warehouse',
    value: 'name',
    description: 'the virtual warehouse (streaming: start-up lookups, reports and status only)',
  }),
  print: setting(fields.bool.default(false), { flag: 'print', description: 'print the SQL (required: nothing is run)' }),
};

/** `sneakpipe snowflake setup --print`: the SQL an administrator runs to give the loader least privilege. */
function setupCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'setup',
      description:
        "Print the SQL an administrator runs once before the loader starts: the warehouse, database, schema and tables (as SYSADMIN), the loader's role and key-pair service user (as USERADMIN), and least-privilege grants for the load method (as SECURITYADMIN). With --snowflake-load-method streaming the role needs INSERT and SELECT on the tables, no pipe and no warehouse for loading.",
      examples: [
        'sneakpipe snowflake setup --print > setup.sql',
        'sneakpipe snowflake setup --print --snowflake-load-method streaming --snowflake-database SHOP --snowflake-schema RAW',
      ],
      settings,
    },
    async (config) => {
      if (!config.print)
        throw new ConfigError('setup only prints the SQL: add --print, then run it as an administrator (a worksheet, SnowSQL)');
      const identifier = SnowflakeSettingsSchema.shape.database;
      for (const [name, value] of [
        ['role', config.role],
        ['user', config.user],
        ['warehouse', config.warehouse],
      ] as const) {
        if (!identifier.safeParse(value).success)
          throw new ConfigError(`--${name}: expected a Snowflake identifier (letters, digits, _ or $), got ${JSON.stringify(value)}`);
      }
      const { setupSql } = await import('@sneakpipe/connectors/snowflake');
      context.out(
        setupSql({
          database: config.snowflakeDatabase,
          schema: config.snowflakeSchema,
          role: config.role,
          user: config.user,
          warehouse: config.warehouse,
          loadMethod: config.snowflakeLoadMethod,
          tables: WAREHOUSE_TABLES,
        }).trimEnd(),
      );
    },
  );
}

/** `sneakpipe snowflake setup`. */
export function snowflakeCommand(context: CommandContext): Command {
  return new Command('snowflake')
    .description('Snowflake administration: the SQL that sets an account up for the loader.')
    .addCommand(setupCommand(context));
}
