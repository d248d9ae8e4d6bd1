import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    await warehouse.write(batch);
    await warehouse.write(batch);
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
