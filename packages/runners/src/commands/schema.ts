import { fields, setting } from '@sneakpipe/core';
import type { Command } from 'commander';
import { formatInt, formatTable } from '../format.js';
import { warehouseSettings } from '../warehouse.js';
import { openWarehouseOps } from '../warehouse-ops/open-warehouse-ops.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

const settings = {
  ...warehouseSettings,
  table: setting(fields.nonEmpty('a table name').default('STREAMING_ORDERS'), {
    flag: 'table',
    value: 'name',
    description: 'the table to show',
  }),
  json: setting(fields.bool.default(false), { flag: 'json', description: 'print JSON (for scripts) instead of tables' }),
};

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/** `sneakpipe schema`: what schema evolution did to a table (columns added, values that clashed). */
export function schemaCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'schema',
      description:
        'Show what schema evolution (consume --schema-evolution) did to a table: the columns it added, their types, for which field and when, and the values it kept in EXTRA_FIELDS because no column could hold them (rows flagged schema_clash). Works beside a running consumer (through it, for a DuckDB file it holds).',
      examples: ['sneakpipe schema', 'sneakpipe schema --json | jq ".clashes"'],
      settings,
    },
    async (config) => {
      const opened = await openWarehouseOps(config);
      try {
        const report = await opened.ops.schema(config.table);
        if (config.json) return context.out(JSON.stringify(report, null, 2));
        context.out(
          report.added.length === 0
            ? `${report.table}: no column added by schema evolution`
            : `${report.table}: ${report.added.length} column(s) added by schema evolution\n${formatTable(
                ['column', 'type', 'field', 'added at'],
                report.added.map((c) => [c.column, c.type, c.field ?? '(by hand)', iso(c.addedAt)]),
              )}`,
        );
        context.out(
          report.clashes.length === 0
            ? 'no clashes: every field with a column loaded into it'
            : `values kept in EXTRA_FIELDS (rows flagged schema_clash):\n${formatTable(
                ['field', 'column', 'rows', 'last', 'reason'],
                report.clashes.map((c) => [c.field, c.column ?? '-', formatInt(c.rows), iso(c.lastAt), c.reason]),
              )}`,
        );
      } finally {
        await opened.close();
      }
    },
  );
}
