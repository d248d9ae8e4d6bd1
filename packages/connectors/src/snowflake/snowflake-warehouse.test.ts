import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderEventSink } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { queryEmulatorFile, snowflakeTestConnection, uniqueSchema } from '../../../../test-support/snowflake.js';
import { decodedEvents, describeWarehouseContract } from '../../../../test-support/warehouse-contract.js';
import { SnowflakeWarehouse } from './snowflake-warehouse.js';

// The real snowflake-sdk against the fakesnow emulator (started by the test command).
describeWarehouseContract(
  'Snowflake (snowflake-sdk → fakesnow emulator)',
  () => SnowflakeWarehouse.open(snowflakeTestConnection(uniqueSchema('CONTRACT'))),
  {
    rows: 300,
  },
);

describe('SnowflakeWarehouse', () => {
  it('loads are visible in the emulator’s persisted database file, read without the driver or the emulator', async () => {
    const schema = uniqueSchema('FILECHECK');
    const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(schema));
    const batch = decodedEvents(200, 31);
    const sink = orderEventSink({ warehouse, group: 'g' });
    await sink.write(batch);
    await sink.write(batch);
    await warehouse.close();
    const [[rows, distinct]] = queryEmulatorFile(
      'RETAIL_LAB',
      `SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM ${schema}.STREAMING_ORDERS`,
    ) as [[number, number]];
    expect(rows).toBe(200);
    expect(distinct).toBe(200);
    const [[name, price]] = queryEmulatorFile(
      'RETAIL_LAB',
      `SELECT CUSTOMER_NAME, CAST(UNIT_PRICE AS VARCHAR) FROM ${schema}.STREAMING_ORDERS WHERE EVENT_ID = '${batch[0]!.value.event_id}'`,
    ) as [[string, string]];
    expect(name).toBe(batch[0]!.value.customer_name);
    expect(price).toBe(batch[0]!.value.unit_price.toFixed(2));
  });

  it('authenticates with an encrypted private key (key-pair), and a wrong passphrase fails clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-key-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const keyFile = join(dir, 'rsa_key.p8');
      writeFileSync(keyFile, privateKey);
      const { password: _password, ...base } = snowflakeTestConnection(uniqueSchema('KEYPAIR'));
      const warehouse = await SnowflakeWarehouse.open({ ...base, privateKeyPath: keyFile, privateKeyPassphrase: 'correct horse' });
      expect(await warehouse.query('SELECT 1 AS ONE')).toEqual([{ ONE: 1 }]);
      await warehouse.close();
      await expect(SnowflakeWarehouse.open({ ...base, privateKeyPath: keyFile, privateKeyPassphrase: 'wrong' })).rejects.toThrow(
        /private key|passphrase|decrypt/i,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses settings that would inject SQL or leak a password, naming the setting', async () => {
    const base = snowflakeTestConnection();
    await expect(SnowflakeWarehouse.open({ ...base, schema: 'STG; DROP TABLE X' })).rejects.toThrow(/schema/);
    await expect(SnowflakeWarehouse.open({ ...base, password: undefined })).rejects.toThrow(/password or a private key/);
    await expect(SnowflakeWarehouse.open({ ...base, host: 'snowflake.example.com' })).rejects.toThrow(/https/);
  });
});

describe('SnowflakeWarehouse loads (statements as sent by the real driver)', () => {
  it('a load is one transaction that appends: no MERGE, no read of a target table, positions compare-and-set', async () => {
    const statements: string[] = [];
    const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(uniqueSchema('STATEMENTS')), {
      onStatement: (sql) => statements.push(sql),
    });
    try {
      const sink = orderEventSink({ warehouse, group: 'g' });
      await sink.resume('sneaker-orders');
      const dead = { ok: false as const, reason: 'invalid JSON', raw: new Uint8Array([1]), sizeBytes: 1, failedAt: 0, position: { topic: 'sneaker-orders', partition: 0, offset: 90 } };
      for (const batch of [decodedEvents(90, 8), [...decodedEvents(120, 8).slice(90), dead]]) {
        statements.length = 0;
        await sink.write(batch);
        const sent = statements.map((s) => s.replace(/\s+/g, ' '));
        expect(sent.filter((s) => s === 'BEGIN TRANSACTION')).toHaveLength(1);
        expect(sent.filter((s) => s === 'COMMIT')).toHaveLength(1);
        const inTransaction = sent.slice(sent.indexOf('BEGIN TRANSACTION'), sent.indexOf('COMMIT') + 1);
        expect(inTransaction.filter((s) => /^INSERT INTO "RETAIL_LAB"\."[A-Z0-9_]+"\."(STREAMING_ORDERS|DEAD_LETTERS)"/.test(s))).toHaveLength(
          batch.some((b) => !b.ok) ? 2 : 1,
        );
        expect(inTransaction.some((s) => s.startsWith('UPDATE') && s.includes('"LOAD_POSITIONS"'))).toBe(true);
        for (const s of sent) {
          expect(s).not.toMatch(/\bMERGE\b/);
          // The targets appear only as what is inserted into: never after FROM or JOIN.
          expect(s).not.toMatch(/\b(FROM|JOIN)\s+"RETAIL_LAB"\."[A-Z0-9_]+"\."(STREAMING_ORDERS|DEAD_LETTERS)"/);
        }
      }
    } finally {
      await warehouse.close();
    }
  });

  it('a crash between the row insert and the commit leaves no row and no advanced position', async () => {
    const connection = snowflakeTestConnection(uniqueSchema('CRASH'));
    const script = fileURLToPath(new URL('../../../../test-support/snowflake-load-then-crash.mjs', import.meta.url));
    const child = spawnSync(process.execPath, [script, JSON.stringify(connection)], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const sent = child.stdout.trim().split('\n').map((l) => JSON.parse(l) as string);
    expect(sent.at(-1)).toBe('COMMIT');
    expect(sent.some((s) => s.startsWith('INSERT INTO "RETAIL_LAB"') && s.includes('"STREAMING_ORDERS"'))).toBe(true);
    const warehouse = await SnowflakeWarehouse.open(connection);
    try {
      expect(await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('STREAMING_ORDERS')}`)).toEqual([{ N: 0 }]);
      expect(await warehouse.positions('crash-group', 'crash-topic')).toEqual(new Map());
    } finally {
      await warehouse.close();
    }
  });
});
