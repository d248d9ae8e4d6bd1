import { STREAMING_ORDERS, DEAD_LETTERS } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { createTableSql, insertStagingSql, mergeSql, qualifiedName, quoteIdentifier, timestampText } from './sql.js';

describe('Snowflake SQL generation', () => {
  it('quotes identifiers and refuses anything that is not a plain identifier', () => {
    expect(quoteIdentifier('stg')).toBe('"STG"');
    expect(qualifiedName('retail_lab', 'stg', 'streaming_orders')).toBe('"RETAIL_LAB"."STG"."STREAMING_ORDERS"');
    for (const bad of ['STG"; DROP TABLE X; --', 'a b', '1abc', '', 'x.y', "it's"])
      expect(() => quoteIdentifier(bad), bad).toThrow(/invalid Snowflake identifier/);
  });

  it('creates STREAMING_ORDERS with money as NUMBER(10,2), times as TIMESTAMP_NTZ, a load-time default and the key', () => {
    const sql = createTableSql('RETAIL_LAB', 'STG', STREAMING_ORDERS);
    expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS "RETAIL_LAB"."STG"."STREAMING_ORDERS"/);
    expect(sql).toContain('"UNIT_PRICE" NUMBER(10,2) NOT NULL');
    expect(sql).toContain('"TIMESTAMP" TIMESTAMP_NTZ NOT NULL');
    expect(sql).toContain('"PROCESSED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE()');
    expect(sql).toContain('"KAFKA_OFFSET" NUMBER(19,0),');
    expect(sql).toContain('PRIMARY KEY ("EVENT_ID")');
  });

  it('binds every value (one placeholder per loaded column) and merges on the key without touching existing rows', () => {
    const insert = insertStagingSql(STREAMING_ORDERS);
    expect(insert.match(/\?/g)).toHaveLength(STREAMING_ORDERS.columns.length - 1);
    const merge = mergeSql('RETAIL_LAB', 'STG', DEAD_LETTERS);
    expect(merge).toContain('ON t."DEAD_LETTER_ID" = s."DEAD_LETTER_ID"');
    expect(merge).toContain(`TO_BINARY(s."RAW_VALUE", 'HEX')`);
    expect(merge).toContain('TO_TIMESTAMP_NTZ(s."FAILED_AT")');
    expect(merge).toContain('QUALIFY ROW_NUMBER()');
    expect(merge).toMatch(/WHEN NOT MATCHED THEN INSERT/);
    expect(merge).not.toMatch(/WHEN MATCHED/);
  });

  it('formats timestamps as UTC TIMESTAMP_NTZ text with milliseconds', () => {
    expect(timestampText(Date.UTC(2025, 0, 15, 14, 30, 45, 123))).toBe('2025-01-15 14:30:45.123');
  });
});
