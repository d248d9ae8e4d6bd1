import { readFile } from 'node:fs/promises';
import { ConfigError, parseConfig, type TableSpec } from '@sneakpipe/core';
import { SnowflakeConnectionSchema, type SnowflakeConnection } from '../config.js';
import { SnowflakeWarehouse } from '../snowflake-warehouse.js';
import { KeyPairJwt } from './key-pair-jwt.js';
import { StreamingApi } from './streaming-api.js';
import { STREAMED_POSITIONS } from './streamed-positions.js';
import { StreamingWarehouse } from './streaming-warehouse.js';

/**
 * Opens the Snowflake warehouse with the Snowpipe Streaming load method: the
 * SQL side (tables, `STREAMED_POSITIONS`, queries) as `SnowflakeWarehouse`,
 * and the REST API signed in with the key pair (the streaming key if given,
 * else the connection's).
 */
export async function openStreamingWarehouse(connection: SnowflakeConnection, tables: readonly TableSpec[]): Promise<StreamingWarehouse> {
  const config = parseConfig(SnowflakeConnectionSchema, connection, 'Snowflake');
  const keyPath = config.streamingPrivateKeyPath ?? config.privateKeyPath;
  const privateKey =
    config.streamingPrivateKeyPath || !config.privateKey
      ? await readFile(keyPath!, 'utf8').catch((error: unknown) => {
          throw new ConfigError(`cannot read the Snowflake private key file ${keyPath}: ${(error as Error).message}`, { cause: error });
        })
      : config.privateKey;
  const jwt = new KeyPairJwt({ account: config.account, user: config.username, privateKey, passphrase: config.privateKeyPassphrase });
  const api = new StreamingApi({
    url: config.streamingUrl ?? `https://${config.account}.snowflakecomputing.com`,
    jwt,
    role: config.role,
  });
  const sql = await SnowflakeWarehouse.open(connection, { tables: [...tables, STREAMED_POSITIONS] });
  return new StreamingWarehouse({
    api,
    sql,
    database: config.database,
    schema: config.schema,
    commitTimeoutMs: config.streamingCommitTimeoutMs,
  });
}
