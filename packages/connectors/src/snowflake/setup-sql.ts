import { LOAD_POSITIONS, type TableSpec } from '@sneakpipe/core';
import { createTableSql, qualifiedName, quoteUpperCaseIdentifier } from './sql.js';
import { STREAMED_POSITIONS } from './streaming/streamed-positions.js';

/** What {@link setupSql} sets up. */
export interface SetupSqlOptions {
  readonly database: string;
  readonly schema: string;
  /** The loader's role. */
  readonly role: string;
  /** The loader's service user (key-pair only). */
  readonly user: string;
  /** The virtual warehouse: the loads' with `transactional`; with `streaming` only start-up lookups and reports. */
  readonly warehouse: string;
  readonly loadMethod: 'transactional' | 'streaming';
  /** The application's tables (the connector adds its own). */
  readonly tables: readonly TableSpec[];
}

/**
 * The SQL an administrator runs once to give a loader least privilege: the
 * objects (as SYSADMIN), a role and a key-pair service user (as USERADMIN),
 * and the grants (as SECURITYADMIN), for the chosen load method. With
 * `streaming` no pipe is created: each table's default pipe
 * (`<TABLE>-STREAMING`) is made by Snowflake when the first channel opens,
 * and needs no privilege beyond INSERT on its table; what still runs as SQL
 * (dead-letter replay, schema evolution's records) keeps its grants.
 */
export function setupSql(o: SetupSqlOptions): string {
  const db = quoteUpperCaseIdentifier(o.database);
  const schema = `${db}.${quoteUpperCaseIdentifier(o.schema)}`;
  const role = quoteUpperCaseIdentifier(o.role);
  const user = quoteUpperCaseIdentifier(o.user);
  const wh = quoteUpperCaseIdentifier(o.warehouse);
  const streaming = o.loadMethod === 'streaming';
  const tables = [...o.tables, LOAD_POSITIONS, ...(streaming ? [STREAMED_POSITIONS] : [])];
  const table = (t: TableSpec) => qualifiedName(o.database, o.schema, t.name);
  const lines = [
    `-- sneakpipe: Snowflake setup for ${o.database}.${o.schema}, load method ${o.loadMethod}. Run as an administrator.`,
    '',
    '-- 1. Objects, owned by SYSADMIN',
    'USE ROLE SYSADMIN;',
    streaming
      ? `-- Snowpipe Streaming loads serverless: the warehouse only runs the loader's start-up lookups, reports and status.`
      : `-- The warehouse runs every load: AUTO_SUSPEND lets it sleep when no load comes.`,
    `CREATE WAREHOUSE IF NOT EXISTS ${wh}`,
    '  WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE;',
    `CREATE DATABASE IF NOT EXISTS ${db};`,
    `CREATE SCHEMA IF NOT EXISTS ${schema};`,
    ...tables.map(
      (t) => `${createTableSql(o.database, o.schema, t).replace(/^CREATE TABLE (IF NOT EXISTS )?/, 'CREATE TABLE IF NOT EXISTS ')};`,
    ),
    ...(streaming
      ? [
          '-- No CREATE PIPE: each table\'s default pipe ("<TABLE>-STREAMING", columns matched by name) is made by',
          '-- Snowflake when the loader opens its first channel on it.',
        ]
      : []),
    '',
    "-- 2. The loader's role and a service user (no password: key-pair only)",
    'USE ROLE USERADMIN;',
    `CREATE ROLE IF NOT EXISTS ${role};`,
    `GRANT ROLE ${role} TO ROLE SYSADMIN;`,
    `CREATE USER IF NOT EXISTS ${user}`,
    `  TYPE = SERVICE DEFAULT_ROLE = ${role} DEFAULT_WAREHOUSE = ${wh} DEFAULT_NAMESPACE = ${schema}`,
    "  RSA_PUBLIC_KEY = '<the public key, one line>';",
    `GRANT ROLE ${role} TO USER ${user};`,
    '',
    '-- 3. Grants',
    'USE ROLE SECURITYADMIN;',
    `GRANT USAGE ON WAREHOUSE ${wh} TO ROLE ${role};`,
    `GRANT USAGE ON DATABASE ${db} TO ROLE ${role};`,
    ...(streaming
      ? [
          '-- CREATE TABLE: staging tables for what still loads in transactions (dead-letter replay, schema changes).',
          `GRANT USAGE, CREATE TABLE ON SCHEMA ${schema} TO ROLE ${role};`,
          '-- INSERT: what a default pipe needs; SELECT: positions at start-up, reports, status;',
          '-- UPDATE on LOAD_POSITIONS: the lock dead-letter replay advances.',
          ...tables.map((t) => `GRANT SELECT, INSERT${t === LOAD_POSITIONS ? ', UPDATE' : ''} ON TABLE ${table(t)} TO ROLE ${role};`),
        ]
      : [
          '-- CREATE TABLE: the session-private staging tables each load writes into first.',
          `GRANT USAGE, CREATE TABLE ON SCHEMA ${schema} TO ROLE ${role};`,
          '-- UPDATE: LOAD_POSITIONS, advanced by every load; INSERT: the tables; SELECT: positions, reports, status.',
          ...tables.map((t) => `GRANT SELECT, INSERT, UPDATE ON TABLE ${table(t)} TO ROLE ${role};`),
        ]),
  ];
  return `${lines.join('\n')}\n`;
}
