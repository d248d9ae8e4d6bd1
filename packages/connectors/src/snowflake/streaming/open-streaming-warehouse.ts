import { parseConfig, type TableSpec } from '@sneakpipe/core';
import { SnowflakeConnectionSchema, type SnowflakeConnection } from '../config.js';
import { readPrivateKeyFile } from '../connection-options.js';
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
  const privateKey =
    config.streamingPrivateKeyPath || !config.privateKey
      ? await readPrivateKeyFile((config.streamingPrivateKeyPath ?? config.privateKeyPath)!)
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
