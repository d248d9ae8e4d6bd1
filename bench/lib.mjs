// Small helpers shared by the benchmark scripts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** The `sneakpipe` bin, and the V8 flags its shebang gives node (what installed users and the image run). */
export const SNEAKPIPE_BIN = new URL('../packages/runners/bin/sneakpipe.js', import.meta.url).pathname;
export const BIN_NODE_FLAGS = /^#!\/usr\/bin\/env -S node (.*)$/m.exec(readFileSync(SNEAKPIPE_BIN, 'utf8'))[1].split(' ');

/**
 * The broker's address: KAFKA_BOOTSTRAP, else the one `npm run infra:up` wrote to .infra/kafka.env. Throws when
 * there is none, unless `optional` (then undefined).
 */
export function kafkaBootstrap({ optional = false } = {}) {
  const envFile = new URL('../.infra/kafka.env', import.meta.url).pathname;
  const bootstrap =
    process.env.KAFKA_BOOTSTRAP ??
    (existsSync(envFile) ? /KAFKA_BOOTSTRAP=(.+)/.exec(readFileSync(envFile, 'utf8'))?.[1].trim() : undefined);
  if (bootstrap === undefined && !optional) throw new Error('no Kafka broker: run `npm run infra:up` or set KAFKA_BOOTSTRAP');
  return bootstrap;
}

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

/**
 * The default of a `sneakpipe` command's option (e.g. `commandDefault('consume', 'batch-size')`), as the built
 * CLI's `--help` states it: a number when it is one.
 */
export function commandDefault(command, flag) {
  const lines = execFileSync(process.execPath, [SNEAKPIPE_BIN, command, '--help'], { encoding: 'utf8' }).split('\n');
  const at = lines.findIndex((l) => l.trimStart().startsWith(`--${flag} `));
  // The option's line, and the lines its description wraps onto (indented, no option of their own).
  let text = at >= 0 ? lines[at] : '';
  for (let i = at + 1; at >= 0 && i < lines.length && /^\s{4,}[^\s-]/.test(lines[i]); i++) text += lines[i];
  const found = /\((?:env [^,()]+, )?default ([^()]*)\)\s*$/.exec(text.replace(/\s+/g, ' '));
  if (!found) throw new Error(`sneakpipe ${command} --help states no default for --${flag}`);
  const value = found[1].trim();
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
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
