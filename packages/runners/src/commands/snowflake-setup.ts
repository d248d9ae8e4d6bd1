import { ConfigError, fields, setting } from '@sneakpipe/core';
import { Command } from 'commander';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

const settings = {
  database: setting(fields.nonEmpty('a database name').default(WAREHOUSE_LOCATION.database), {
    flag: 'database',
    value: 'name',
    description: 'the database to load into',
  }),
  schema: setting(fields.nonEmpty('a schema name').default(WAREHOUSE_LOCATION.schema), {
    flag: 'schema',
    value: 'name',
    description: 'the schema to load into',
  }),
  loadMethod: setting(fields.oneOf(['transactional', 'streaming']).default('transactional'), {
    flag: 'load-method',
    value: 'transactional|streaming',
    description: "the load method the grants are for (consume's --snowflake-load-method)",
  }),
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
        "Print the SQL an administrator runs once before the loader starts: the warehouse, database, schema and tables (as SYSADMIN), the loader's role and key-pair service user (as USERADMIN), and least-privilege grants for the load method (as SECURITYADMIN). With --load-method streaming the role needs INSERT and SELECT on the tables, no pipe and no warehouse for loading.",
      examples: [
        'sneakpipe snowflake setup --print > setup.sql',
        'sneakpipe snowflake setup --print --load-method streaming --database SHOP --schema RAW',
      ],
      settings,
    },
    async (config) => {
      if (!config.print)
        throw new ConfigError('setup only prints the SQL: add --print, then run it as an administrator (a worksheet, SnowSQL)');
      // Each name is checked by setupSql: anything but a plain identifier stops with one line naming it.
      const { setupSql } = await import('@sneakpipe/connectors/snowflake');
      context.out(
        setupSql({
          database: config.database,
          schema: config.schema,
          role: config.role,
          user: config.user,
          warehouse: config.warehouse,
          loadMethod: config.loadMethod,
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
