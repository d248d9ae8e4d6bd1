import { LOAD_POSITIONS, column, defineTable, loadedColumns } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, PAYMENTS } from '@sneakpipe/test-support/generic-warehouse';
import {
  addColumnSql,
  advancePositionsSql,
  appendFromStagingSql,
  columnTypeOf,
  columnsOfTableSql,
  createStagingTableSql,
  createTableSql,
  insertStagingSql,
  lockPositionsSql,
  mergeSql,
  qualifiedName,
  quoteUpperCaseIdentifier,
  replaceStagingTableSql,
  stagingColumnsSql,
  timestampText,
} from './sql.js';

describe('Snowflake SQL generation', () => {
  it('quotes identifiers and refuses anything that is not a plain identifier', () => {
    expect(quoteUpperCaseIdentifier('stg')).toBe('"STG"');
    expect(qualifiedName('retail_lab', 'stg', 'streaming_orders')).toBe('"RETAIL_LAB"."STG"."STREAMING_ORDERS"');
    for (const bad of ['STG"; DROP TABLE X; --', 'a b', '1abc', '', 'x.y', "it's"])
      expect(() => quoteUpperCaseIdentifier(bad), bad).toThrow(/invalid Snowflake identifier/);
  });

  it('creates an append-only table with money as NUMBER(10,2), times as TIMESTAMP_NTZ, JSON as VARIANT and a load-time default', () => {
    const sql = createTableSql('RETAIL_LAB', 'STG', PAYMENTS);
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS "RETAIL_LAB"."STG"."PAYMENTS"/);
    expect(sql).toContain('"AMOUNT" NUMBER(10,2) NOT NULL');
    expect(sql).toContain('"PAID_AT" TIMESTAMP_NTZ NOT NULL');
    expect(sql).toContain('"LOADED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(sql).toContain('"SOURCE_OFFSET" NUMBER(19,0),');
    expect(sql).toContain('"METADATA" VARIANT,');
    expect(sql).toContain('"RECEIPT" BINARY,');
    expect(sql).not.toContain('PRIMARY KEY');
    expect(createTableSql('RETAIL_LAB', 'STG', LOAD_POSITIONS)).toContain('PRIMARY KEY ("CONSUMER_GROUP", "TOPIC", "PARTITION")');
  });

  it('binds every value (one placeholder per loaded column), appends event rows and merges reference rows on their key', () => {
    const insert = insertStagingSql(PAYMENTS);
    expect(insert.match(/\?/g)).toHaveLength(PAYMENTS.columns.length - 1);
    const append = appendFromStagingSql('RETAIL_LAB', 'STG', PAYMENTS);
    expect(append).toMatch(/^INSERT INTO "RETAIL_LAB"."STG"."PAYMENTS"/);
    expect(append).toContain('TO_TIMESTAMP_NTZ(s."PAID_AT")');
    expect(append).toContain('PARSE_JSON(s."METADATA")');
    expect(append).toMatch(/FROM "PAYMENTS_STAGE" s$/);
    const merge = mergeSql('RETAIL_LAB', 'STG', ACCOUNTS);
    expect(merge).toContain('ON t."ACCOUNT_ID" = s."ACCOUNT_ID"');
    expect(merge).toContain('TO_TIMESTAMP_NTZ(s."OPENED_AT")');
    expect(merge).toContain('QUALIFY ROW_NUMBER()');
    expect(merge).toMatch(/WHEN NOT MATCHED THEN INSERT/);
    expect(merge).not.toMatch(/WHEN MATCHED/);
    expect(() => mergeSql('RETAIL_LAB', 'STG', PAYMENTS)).toThrow(/no primary key/);
  });

  it('fills load times with SYSDATE(), UTC whatever the session TIMEZONE', () => {
    // CURRENT_TIMESTAMP (and LOCALTIMESTAMP, GETDATE) is the session's TIMEZONE (America/Los_Angeles unless set), which
    // a TIMESTAMP_NTZ would keep as that wall clock. The emulator runs in UTC, so only this test can tell them apart.
    const loadedAt = PAYMENTS.columns.find((c) => c.name === 'LOADED_AT')!;
    const statements = [
      createTableSql('DB', 'S', PAYMENTS),
      createTableSql('DB', 'S', LOAD_POSITIONS),
      addColumnSql('DB', 'S', PAYMENTS, loadedAt),
      advancePositionsSql('DB', 'S'),
      lockPositionsSql('DB', 'S'),
    ];
    for (const sql of statements) expect(sql).not.toMatch(/CURRENT_TIMESTAMP|LOCALTIMESTAMP|GETDATE|SYSTIMESTAMP/i);
    expect(statements[1]).toContain('"UPDATED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(statements[2]).toContain('"LOADED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(statements[3]).toContain('UPDATED_AT = SYSDATE()');
  });

  it('formats timestamps as UTC TIMESTAMP_NTZ text with milliseconds', () => {
    expect(timestampText(Date.UTC(2025, 0, 15, 14, 30, 45, 123))).toBe('2025-01-15 14:30:45.123');
  });

  it('creates booleans as BOOLEAN and doubles as FLOAT, staged as text and cast on the way in', () => {
    const READINGS = defineTable({
      name: 'READINGS',
      description: 'Readings.',
      columns: [column('ID', 'integer'), column('ON', 'boolean'), column('LEVEL', 'double', { nullable: true })],
      primaryKey: 'ID',
    });
    const sql = createTableSql('RETAIL_LAB', 'STG', READINGS);
    expect(sql).toContain('"ON" BOOLEAN NOT NULL');
    expect(sql).toContain('"LEVEL" FLOAT,');
    expect(createStagingTableSql(READINGS)).toContain('"ON" VARCHAR, "LEVEL" VARCHAR');
    for (const move of [appendFromStagingSql('RETAIL_LAB', 'STG', READINGS), mergeSql('RETAIL_LAB', 'STG', READINGS)]) {
      expect(move).toContain('CAST(s."ON" AS BOOLEAN)');
      expect(move).toContain('CAST(s."LEVEL" AS FLOAT)');
    }
  });

  it('reads each logical type back from INFORMATION_SCHEMA.COLUMNS as Snowflake and the emulator report it, and no other', () => {
    // DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE as both report them for the types of createTableSql (and INTEGER,
    // BIGINT, NUMBER and DOUBLE written by hand); the driver may give the numbers as text.
    const reported: [string, unknown, unknown, string | undefined][] = [
      ['TEXT', null, null, 'text'],
      ['VARCHAR', null, null, 'text'],
      ['NUMBER', 10, 0, 'integer'],
      ['NUMBER', 19, 0, 'bigint'],
      ['NUMBER', 38, 0, 'bigint'],
      ['NUMBER', '38', '0', 'bigint'],
      ['NUMBER', 10, 2, 'money'],
      ['FLOAT', null, null, 'double'],
      ['DOUBLE', null, null, 'double'],
      ['BOOLEAN', null, null, 'boolean'],
      ['TIMESTAMP_NTZ', null, null, 'timestamp'],
      ['BINARY', null, null, 'binary'],
      ['VARIANT', null, null, 'json'],
      ['variant', null, null, 'json'],
      ['NUMBER', 12, 4, undefined],
      ['NUMBER', null, null, undefined],
      ['DATE', null, null, undefined],
      ['TIMESTAMP_TZ', null, null, undefined],
      ['OBJECT', null, null, undefined],
      ['CONSTRUCTOR', null, null, undefined],
    ];
    for (const [dataType, precision, scale, type] of reported) {
      expect(columnTypeOf(dataType, precision, scale), `${dataType}(${precision},${scale})`).toBe(type);
    }
    // A VARCHAR of the default length (what sneakpipe creates) is text; a shorter one, whose longer values would fail a load, is left out.
    expect(columnTypeOf('TEXT', null, null, 16_777_216)).toBe('text');
    expect(columnTypeOf('TEXT', null, null, 134_217_728)).toBe('text');
    expect(columnTypeOf('TEXT', null, null, 100)).toBeUndefined();
    expect(columnsOfTableSql('retail_lab')).toMatch(
      /^SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH FROM "RETAIL_LAB"\.INFORMATION_SCHEMA\.COLUMNS\nWHERE TABLE_SCHEMA = \? AND TABLE_NAME = \? ORDER BY ORDINAL_POSITION$/,
    );
  });

  it('stages a widened spec of a table in a staging table of its own columns, and appends by naming them', () => {
    const widened = { ...PAYMENTS, columns: [...PAYMENTS.columns, column('COUPON', 'text', { nullable: true })] };
    expect(stagingColumnsSql(widened)).toBe(`${stagingColumnsSql(PAYMENTS)}, "COUPON" VARCHAR`);
    expect(replaceStagingTableSql(widened)).toBe(`CREATE OR REPLACE TEMPORARY TABLE "PAYMENTS_STAGE" (${stagingColumnsSql(widened)})`);
    expect(createStagingTableSql(PAYMENTS)).toBe(`CREATE TEMPORARY TABLE IF NOT EXISTS "PAYMENTS_STAGE" (${stagingColumnsSql(PAYMENTS)})`);
    // The defined spec into the widened table: every column named, so the added ones are left NULL.
    const names = loadedColumns(PAYMENTS).map((c) => `"${c.name}"`);
    expect(appendFromStagingSql('RETAIL_LAB', 'STG', PAYMENTS).split('\n')[0]).toBe(
      `INSERT INTO "RETAIL_LAB"."STG"."PAYMENTS" (${names.join(', ')})`,
    );
    expect(appendFromStagingSql('RETAIL_LAB', 'STG', widened).split('\n')[0]).toBe(
      `INSERT INTO "RETAIL_LAB"."STG"."PAYMENTS" (${[...names, '"COUPON"'].join(', ')})`,
    );
  });
});
