import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOAD_POSITIONS, positionedSink, type Warehouse } from '@sneakpipe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  queryEmulatorFile,
  snowflakeTestConnection,
  startPrivateEmulator,
  uniqueSchema,
  type PrivateEmulator,
} from '@sneakpipe/test-support/snowflake';
import { GENERIC_TABLES, paymentRecords, paymentTables } from '@sneakpipe/test-support/generic-warehouse';
import { SnowflakeWarehouse } from './snowflake-warehouse.js';

// The warehouse contract runs for every connector, opened by name: settings/warehouses.test.ts; the shop's rows and
// its dead-letter replay, where the shop is: packages/runners/test/warehouse-shop-rows.test.ts.
const paymentSink = (warehouse: Warehouse, group = 'g') => positionedSink({ warehouse, group, rows: paymentTables });

describe('SnowflakeWarehouse', () => {
  it('loads are visible in the emulator’s persisted database file, read without the driver or the emulator', async () => {
    const schema = uniqueSchema('FILECHECK');
    const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(schema), { tables: GENERIC_TABLES });
    const batch = paymentRecords(200, 31);
    const sink = paymentSink(warehouse);
    await sink.write(batch);
    await sink.write(batch);
    await warehouse.close();
    const [[rows, distinct]] = queryEmulatorFile('RETAIL_LAB', `SELECT COUNT(*), COUNT(DISTINCT PAYMENT_ID) FROM ${schema}.PAYMENTS`) as [
      [number, number],
    ];
    expect(rows).toBe(200);
    expect(distinct).toBe(200);
    const [[name, amount]] = queryEmulatorFile(
      'RETAIL_LAB',
      `SELECT PAYER, CAST(AMOUNT AS VARCHAR) FROM ${schema}.PAYMENTS WHERE PAYMENT_ID = '${batch[0]!.value.paymentId}'`,
    ) as [[string, string]];
    expect(name).toBe(batch[0]!.value.payer);
    expect(amount).toBe(batch[0]!.value.amount.toFixed(2));
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
      const warehouse = await SnowflakeWarehouse.open(
        { ...base, privateKeyPath: keyFile, privateKeyPassphrase: 'correct horse' },
        { tables: GENERIC_TABLES },
      );
      expect(await warehouse.query('SELECT 1 AS ONE')).toEqual([{ ONE: 1 }]);
      await warehouse.close();
      await expect(
        SnowflakeWarehouse.open({ ...base, privateKeyPath: keyFile, privateKeyPassphrase: 'wrong' }, { tables: GENERIC_TABLES }),
      ).rejects.toThrow(/private key|passphrase|decrypt/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses settings that would inject SQL or leak a password, naming the setting', async () => {
    const base = snowflakeTestConnection();
    await expect(SnowflakeWarehouse.open({ ...base, schema: 'STG; DROP TABLE X' }, { tables: GENERIC_TABLES })).rejects.toThrow(/schema/);
    await expect(SnowflakeWarehouse.open({ ...base, password: undefined }, { tables: GENERIC_TABLES })).rejects.toThrow(
      /password or a private key/,
    );
    await expect(SnowflakeWarehouse.open({ ...base, host: 'snowflake.example.com' }, { tables: GENERIC_TABLES })).rejects.toThrow(/https/);
  });
});

describe('SnowflakeWarehouse loads (statements as sent by the real driver)', () => {
  it('a load is one transaction that appends: no MERGE, no read of a target table, positions compare-and-set', async () => {
    const statements: string[] = [];
    const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(uniqueSchema('STATEMENTS')), {
      tables: GENERIC_TABLES,
      onStatement: (sql) => statements.push(sql),
    });
    try {
      const sink = paymentSink(warehouse);
      await sink.resume('payments');
      const dead = {
        ok: false as const,
        reason: 'invalid JSON',
        raw: new Uint8Array([1]),
        sizeBytes: 1,
        failedAt: 0,
        position: { topic: 'payments', partition: 0, offset: 90 },
      };
      for (const batch of [paymentRecords(90, 8), [...paymentRecords(120, 8).slice(90), dead]]) {
        statements.length = 0;
        await sink.write(batch);
        const sent = statements.map((s) => s.replace(/\s+/g, ' '));
        expect(sent.filter((s) => s === 'BEGIN TRANSACTION')).toHaveLength(1);
        expect(sent.filter((s) => s === 'COMMIT')).toHaveLength(1);
        const inTransaction = sent.slice(sent.indexOf('BEGIN TRANSACTION'), sent.indexOf('COMMIT') + 1);
        expect(inTransaction.filter((s) => /^INSERT INTO "RETAIL_LAB"\."[A-Z0-9_]+"\."(PAYMENTS|PAYMENT_REJECTS)"/.test(s))).toHaveLength(
          batch.some((b) => !b.ok) ? 2 : 1,
        );
        expect(inTransaction.some((s) => s.startsWith('UPDATE') && s.includes('"LOAD_POSITIONS"'))).toBe(true);
        for (const s of sent) {
          expect(s).not.toMatch(/\bMERGE\b/);
          // The targets appear only as what is inserted into: never after FROM or JOIN.
          expect(s).not.toMatch(/\b(FROM|JOIN)\s+"RETAIL_LAB"\."[A-Z0-9_]+"\."(PAYMENTS|PAYMENT_REJECTS)"/);
        }
      }
    } finally {
      await warehouse.close();
    }
  });

  it('a crash between the row insert and the commit leaves no row and no advanced position', async () => {
    const connection = snowflakeTestConnection(uniqueSchema('CRASH'));
    const script = fileURLToPath(import.meta.resolve('@sneakpipe/test-support/snowflake-load-then-crash.mjs'));
    const child = spawnSync(process.execPath, [script, JSON.stringify(connection)], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const sent = child.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string);
    expect(sent.at(-1)).toBe('COMMIT');
    expect(sent.some((s) => s.startsWith('INSERT INTO "RETAIL_LAB"') && s.includes('"PAYMENTS"'))).toBe(true);
    // Opened with no tables of its own: the script's table is read as the script created it.
    const warehouse = await SnowflakeWarehouse.open(connection, { tables: [] });
    try {
      expect(await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('PAYMENTS')}`)).toEqual([{ N: 0 }]);
      expect(await warehouse.positions('crash-group', 'crash-topic')).toEqual(new Map());
    } finally {
      await warehouse.close();
    }
  });
});

describe('SnowflakeWarehouse least privilege (creates only what is missing)', () => {
  // The emulator grants everything, so a role without a privilege is played by `onStatement`: it fails the statements
  // such a role may not run before they are sent, as Snowflake would (it checks CREATE privileges even for IF NOT EXISTS).
  const denied = (pattern: RegExp, sent: string[]) => (sql: string) => {
    sent.push(sql.replace(/\s+/g, ' '));
    if (pattern.test(sql)) throw new Error(`SQL access control error: Insufficient privileges to operate on ${sql.slice(0, 40)}`);
  };
  const ANY_CREATE = /^\s*CREATE\b/i;
  const CREATE_BUT_TEMPORARY = /^\s*CREATE\s+(?!TEMPORARY\b)/i;
  const creates = (sent: string[]) => sent.filter((s) => /^CREATE\b/i.test(s)).map((s) => s.replace(/ \(.*$/, ''));

  it('opening an existing database, schema and tables sends no CREATE: a read-only role can open it, a loader role can load', async () => {
    const connection = snowflakeTestConnection(uniqueSchema('LEASTPRIV'));
    await (await SnowflakeWarehouse.open(connection, { tables: GENERIC_TABLES })).close();
    const readSent: string[] = [];
    const reader = await SnowflakeWarehouse.open(connection, { tables: GENERIC_TABLES, onStatement: denied(ANY_CREATE, readSent) });
    try {
      expect(creates(readSent)).toEqual([]);
      expect(readSent.some((s) => s.startsWith('SHOW DATABASES'))).toBe(true);
      expect(await reader.query(`SELECT COUNT(*) AS N FROM ${reader.table('PAYMENTS')}`)).toEqual([{ N: 0 }]);
    } finally {
      await reader.close();
    }
    // A loader role: USAGE on the database and schema, CREATE TABLE on the schema for its session's temporary staging
    // tables only (played by refusing every other CREATE), SELECT/INSERT/UPDATE on the tables.
    const loadSent: string[] = [];
    const loader = await SnowflakeWarehouse.open(connection, {
      tables: GENERIC_TABLES,
      onStatement: denied(CREATE_BUT_TEMPORARY, loadSent),
    });
    try {
      await paymentSink(loader).write(paymentRecords(20, 3));
      expect(creates(loadSent).length).toBeGreaterThan(0);
      expect(creates(loadSent).every((s) => s.startsWith('CREATE TEMPORARY TABLE'))).toBe(true);
      expect(await loader.query(`SELECT COUNT(*) AS N FROM ${loader.table('PAYMENTS')}`)).toEqual([{ N: 20 }]);
    } finally {
      await loader.close();
    }
  });

  // The shared emulator creates a session's database and schema at login; Snowflake does not. A private emulator that
  // does not (serve.py --strict-login) shows what the loader creates itself on a fresh account.
  let emulator: PrivateEmulator;
  beforeAll(async () => {
    emulator = await startPrivateEmulator();
  });
  afterAll(() => emulator?.stop());

  it('creates a missing schema and its tables, and not the database that exists', async () => {
    await (await SnowflakeWarehouse.open(emulator.connection('RETAIL_LAB', 'STG'), { tables: GENERIC_TABLES })).close();
    const sent: string[] = [];
    const warehouse = await SnowflakeWarehouse.open(emulator.connection('RETAIL_LAB', 'OTHER'), {
      tables: GENERIC_TABLES,
      onStatement: (s) => sent.push(s.replace(/\s+/g, ' ')),
    });
    try {
      expect(creates(sent)).toEqual([
        'CREATE SCHEMA IF NOT EXISTS "RETAIL_LAB"."OTHER"',
        ...[...GENERIC_TABLES, LOAD_POSITIONS].map((t) => `CREATE TABLE IF NOT EXISTS "RETAIL_LAB"."OTHER"."${t.name}"`),
      ]);
      await paymentSink(warehouse).write(paymentRecords(5, 4));
      expect(await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('PAYMENTS')}`)).toEqual([{ N: 5 }]);
    } finally {
      await warehouse.close();
    }
  });

  it('creates a missing database; a role that may not create it gets an error naming it and the fix', async () => {
    const connection = emulator.connection('FRESH_DB', 'STG');
    await expect(SnowflakeWarehouse.open(connection, { tables: GENERIC_TABLES, onStatement: denied(ANY_CREATE, []) })).rejects.toThrow(
      /database FRESH_DB does not exist .*Insufficient privileges.*docs\/snowflake\.md/,
    );
    const sent: string[] = [];
    const warehouse = await SnowflakeWarehouse.open(connection, { tables: GENERIC_TABLES, onStatement: (s) => sent.push(s) });
    try {
      expect(creates(sent).slice(0, 2)).toEqual([
        'CREATE DATABASE IF NOT EXISTS "FRESH_DB"',
        'CREATE SCHEMA IF NOT EXISTS "FRESH_DB"."STG"',
      ]);
      await paymentSink(warehouse).write(paymentRecords(5, 4));
      expect(await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table('PAYMENTS')}`)).toEqual([{ N: 5 }]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('SnowflakeWarehouse upgrade from an older version', () => {
  // Snowflake does not enforce primary keys, so the old keys cannot reject an append there. The emulator (DuckDB) does
  // enforce them and cannot drop one, so what is checked here is what it allows: new columns, old rows kept, new loads.
  it("adds the new columns to tables an older version created (as 0.1.0 did the shop's), keeping their rows, and loads into them", async () => {
    const connection = snowflakeTestConnection(uniqueSchema('OLDER'));
    // The tables as an older version created them: PAYMENTS keyed on PAYMENT_ID, both lacking columns.
    const older = await SnowflakeWarehouse.open(connection, { tables: [] });
    const name = (t: string) => older.table(t);
    await older.query(`CREATE TABLE ${name('PAYMENTS')} ("PAYMENT_ID" VARCHAR NOT NULL, "PAYER" VARCHAR NOT NULL, "AMOUNT" NUMBER(10,2) NOT NULL,
      "UNITS" NUMBER(10,0) NOT NULL, "PAID_AT" TIMESTAMP_NTZ NOT NULL, "LOADED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE(), PRIMARY KEY ("PAYMENT_ID"))`);
    await older.query(`CREATE TABLE ${name('PAYMENT_REJECTS')} ("REASON" VARCHAR NOT NULL, "RAW" BINARY NOT NULL, "FAILED_AT" TIMESTAMP_NTZ NOT NULL,
      "LOADED_AT" TIMESTAMP_NTZ DEFAULT SYSDATE())`);
    await older.query(
      `INSERT INTO ${name('PAYMENTS')} ("PAYMENT_ID", "PAYER", "AMOUNT", "UNITS", "PAID_AT") VALUES ('p0', 'Marie', 120.5, 2, '2025-01-01 10:00:00')`,
    );
    await older.close();
    const warehouse = await SnowflakeWarehouse.open(connection, { tables: GENERIC_TABLES });
    try {
      const [payment] = paymentRecords(1, 9);
      await paymentSink(warehouse).write([{ ...payment!, value: { ...payment!.value, paymentId: 'p1', metadata: { note: 'X' } } }]);
      const rows = await warehouse.query(
        `SELECT PAYMENT_ID, AMOUNT, SOURCE_OFFSET, CAST(METADATA AS VARCHAR) AS METADATA FROM ${warehouse.table('PAYMENTS')} ORDER BY PAYMENT_ID`,
      );
      const nullOr = <T>(value: unknown, read: (v: unknown) => T) => (value === null ? null : read(value));
      expect(
        rows.map((r) => [
          r.PAYMENT_ID,
          Number(r.AMOUNT),
          nullOr(r.SOURCE_OFFSET, Number),
          nullOr(r.METADATA, (m) => JSON.parse(String(m))),
        ]),
      ).toEqual([
        ['p0', 120.5, null, null],
        ['p1', payment!.value.amount, 0, { note: 'X' }],
      ]);
      expect(await warehouse.positions('g', 'payments')).toEqual(new Map([[0, 1]]));
    } finally {
      await warehouse.close();
    }
  });
});
