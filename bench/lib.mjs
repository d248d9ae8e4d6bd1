// Small helpers shared by the benchmark scripts.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** The `sneakpipe` bin, and the V8 flags its shebang gives node (what installed users and the image run). */
export const SNEAKPIPE_BIN = new URL('../packages/runners/bin/sneakpipe.js', import.meta.url).pathname;
export const BIN_NODE_FLAGS = /^#!\/usr\/bin\/env -S node (.*)$/m.exec(readFileSync(SNEAKPIPE_BIN, 'utf8'))[1].split(' ');

/** Median of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const fmt = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n);

/** One line describing the machine, printed at the top of every benchmark. */
export function machine() {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Reads an integer option `--name value` from argv. */
export function intArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The default of a `sneakpipe` command's setting (e.g. `commandDefault('consume', 'batchSize')`), read from the built CLI. */
export async function commandDefault(command, setting) {
  const { buildProgram } = await import('../packages/runners/dist/program.js');
  const { settingsOfCommand } = await import('../packages/runners/dist/commands/define-command.js');
  const { defaultOf } = await import('@sneakpipe/core');
  const found = buildProgram().commands.find((c) => c.name() === command);
  return defaultOf(settingsOfCommand(found)[setting])?.value;
}

/**
 * The `sneakpipe` command after `--` (or `fallback`); a demo without `--warehouse` gets a file in `dir`.
 * What profile.mjs and allocations.mjs run.
 */
export function commandArgs(fallback, dir) {
  const dash = process.argv.indexOf('--');
  const args = dash >= 0 ? process.argv.slice(dash + 1) : fallback;
  if (args[0] === 'demo' && !args.includes('--warehouse')) args.push('--warehouse', `${dir}/w.duckdb`);
  return args;
}

/** A V8 profile node's function (`name file:line`) and package, the keys profiles are summed by. */
export function frameKeys({ functionName, url, lineNumber }) {
  const fn = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}${url ? `:${lineNumber + 1}` : ''}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)|packages\/([^/]+)\/|^node:/.exec(url);
  return { fn, pkg: pkg ? (pkg[1] ?? (pkg[2] ? `@sneakpipe/${pkg[2]}` : 'node internals')) : functionName || '(native)' };
}

/** Runs statements on a DuckDB file with default settings; ms of each. */
async function duck(path, statements) {
  // Loaded here, not at the top: memory.mjs's consumer child imports this file and must not load DuckDB.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const ms = [];
  let last;
  try {
    for (const sql of statements) {
      const t = performance.now();
      last = await connection.runAndReadAll(sql);
      ms.push(performance.now() - t);
    }
    return { ms, rows: last.getRows() };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * DuckDB's own NDJSON import of the rows of `warehouse`'s STREAMING_ORDERS into an unkeyed, file-backed copy of the
 * table (in `dir`): rows/s of the INSERT alone.
 */
export async function duckdbImport(dir, warehouse) {
  const ndjson = join(dir, 'events.ndjson');
  const { rows: schemaRows } = await duck(warehouse, [
    "SELECT table_schema FROM information_schema.tables WHERE lower(table_name) = 'streaming_orders' LIMIT 1",
  ]);
  const schema = schemaRows[0][0];
  const { rows: colRows } = await duck(warehouse, [
    `SELECT '{' || string_agg('"' || column_name || '": ''' || data_type || '''', ', ' ORDER BY ordinal_position) || '}'
     FROM information_schema.columns WHERE lower(table_name) = 'streaming_orders' AND table_schema = '${schema}'`,
  ]);
  await duck(warehouse, [`COPY (SELECT * FROM "${schema}".STREAMING_ORDERS) TO '${ndjson}' (FORMAT JSON)`]);
  const { ms, rows } = await duck(join(dir, 'ref.duckdb'), [
    `ATTACH '${warehouse}' AS src (READ_ONLY)`,
    `CREATE TABLE ref AS SELECT * FROM src."${schema}".STREAMING_ORDERS LIMIT 0`,
    'DETACH src',
    `INSERT INTO ref SELECT * FROM read_ndjson('${ndjson}', columns = ${colRows[0][0]})`,
    'SELECT count(*) FROM ref',
  ]);
  const n = Number(rows[0][0]);
  return { rate: (n * 1000) / ms[3], rows: n };
}
