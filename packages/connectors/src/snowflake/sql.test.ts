import { CUSTOMERS, STREAMING_ORDERS } from '@sneakpipe/sneakers';
import { LOAD_POSITIONS } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import {
  addColumnSql,
  advancePositionsSql,
  appendFromStagingSql,
  createTableSql,
  insertStagingSql,
  lockPositionsSql,
  mergeSql,
  qualifiedName,
  quoteUpperCaseIdentifier,
  timestampText,
} from './sql.js';

describe('Snowflake SQL generation', () => {
  it('quotes identifiers and refuses anything that is not a plain identifier', () => {
    expect(quoteUpperCaseIdentifier('stg')).toBe('"STG"');
    expect(qualifiedName('retail_lab', 'stg', 'streaming_orders')).toBe('"RETAIL_LAB"."STG"."STREAMING_ORDERS"');
    for (const bad of ['STG"; DROP TABLE X; --', 'a b', '1abc', '', 'x.y', "it's"])
      expect(() => quoteUpperCaseIdentifier(bad), bad).toThrow(/invalid Snowflake identifier/);
  });

  it('creates STREAMING_ORDERS append-only, with money as NUMBER(10,2), times as TIMESTAMP_NTZ, extra fields as VARIANT and a load-time default', () => {
    const sql = createTableSql('RETAIL_LAB', 'STG', STREAMING_ORDERS);
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS "RETAIL_LAB"."STG"."STREAMING_ORDERS"/);
    expect(sql).toContain('"UNIT_PRICE" NUMBER(10,2) NOT NULL');
    expect(sql).toContain('"TIMESTAMP" TIMESTAMP_NTZ NOT NULL');
    expect(sql).toContain('"PROCESSED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(sql).toContain('"KAFKA_OFFSET" NUMBER(19,0),');
    expect(sql).toContain('"EXTRA_FIELDS" VARIANT,');
    expect(sql).not.toContain('PRIMARY KEY');
    expect(createTableSql('RETAIL_LAB', 'STG', LOAD_POSITIONS)).toContain('PRIMARY KEY ("CONSUMER_GROUP", "TOPIC", "PARTITION")');
  });

  it('binds every value (one placeholder per loaded column), appends event rows and merges reference rows on their key', () => {
    const insert = insertStagingSql(STREAMING_ORDERS);
    expect(insert.match(/\?/g)).toHaveLength(STREAMING_ORDERS.columns.length - 1);
    const append = appendFromStagingSql('RETAIL_LAB', 'STG', STREAMING_ORDERS);
    expect(append).toMatch(/^INSERT INTO "RETAIL_LAB"."STG"."STREAMING_ORDERS"/);
    expect(append).toContain('TO_TIMESTAMP_NTZ(s."TIMESTAMP")');
    expect(append).toContain('PARSE_JSON(s."EXTRA_FIELDS")');
    expect(append).toMatch(/FROM "STREAMING_ORDERS_STAGE" s$/);
    const merge = mergeSql('RETAIL_LAB', 'STG', CUSTOMERS);
    expect(merge).toContain('ON t."CUSTOMER_ID" = s."CUSTOMER_ID"');
    expect(merge).toContain('TO_TIMESTAMP_NTZ(s."SIGNUP_AT")');
    expect(merge).toContain('QUALIFY ROW_NUMBER()');
    expect(merge).toMatch(/WHEN NOT MATCHED THEN INSERT/);
    expect(merge).not.toMatch(/WHEN MATCHED/);
    expect(() => mergeSql('RETAIL_LAB', 'STG', STREAMING_ORDERS)).toThrow(/no primary key/);
  });

  it('fills load times with SYSDATE(), UTC whatever the session TIMEZONE', () => {
    // CURRENT_TIMESTAMP (and LOCALTIMESTAMP, GETDATE) is the session's TIMEZONE (America/Los_Angeles unless set), which
    // a TIMESTAMP_NTZ would keep as that wall clock. The emulator runs in UTC, so only this test can tell them apart.
    const processedAt = STREAMING_ORDERS.columns.find((c) => c.name === 'PROCESSED_AT')!;
    const statements = [
      createTableSql('DB', 'S', STREAMING_ORDERS),
      createTableSql('DB', 'S', LOAD_POSITIONS),
      addColumnSql('DB', 'S', STREAMING_ORDERS, processedAt),
      advancePositionsSql('DB', 'S'),
      lockPositionsSql('DB', 'S'),
    ];
    for (const sql of statements) expect(sql).not.toMatch(/CURRENT_TIMESTAMP|LOCALTIMESTAMP|GETDATE|SYSTIMESTAMP/i);
    expect(statements[1]).toContain('"UPDATED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(statements[2]).toContain('"PROCESSED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(statements[3]).toContain('UPDATED_AT = SYSDATE()');
  });

  it('formats timestamps as UTC TIMESTAMP_NTZ text with milliseconds', () => {
    expect(timestampText(Date.UTC(2025, 0, 15, 14, 30, 45, 123))).toBe('2025-01-15 14:30:45.123');
  });
});
