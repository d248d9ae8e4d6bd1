import { parseConfig } from '@sneakpipe/core';
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type SASLOptions, type logCreator } from 'kafkajs';
import { KafkaConnectionSchema, tlsOf, type ConnectorLogger, type KafkaConnection } from '../shared/config.js';
import { KAFKA_DEFAULTS } from '../shared/defaults.js';
import { registerLz4Codec } from './lz4-codec.js';

const levelName: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/** Routes kafkajs's logs to a connector logger, one structured line each. */
function logCreatorFor(logger: ConnectorLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...rest } = log;
      const name = levelName[level] ?? 'info';
      logger[name]({ kafkajs: namespace, ...rest }, message);
    };
}

/**
 * A kafkajs `Kafka` instance from the connector's validated connection
 * settings (the same ones `@platformatic/kafka` takes). Throws a `ConfigError`
 * naming a bad setting.
 */
export function createKafkajs(connection: KafkaConnection, logger?: ConnectorLogger): Kafka {
  const c = parseConfig(KafkaConnectionSchema, connection, 'Kafka');
  const tls = tlsOf(c);
  const config: KafkaConfig = {
    clientId: c.clientId,
    brokers: c.brokers,
    connectionTimeout: c.connectionTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    ssl: tls === false ? false : tls.ca ? { ca: tls.ca, rejectUnauthorized: true } : true,
    ...(c.sasl ? { sasl: { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password } as SASLOptions } : {}),
    logLevel: logger ? KafkaLogLevel.WARN : KafkaLogLevel.NOTHING,
    ...(logger ? { logCreator: logCreatorFor(logger) } : {}),
    retry: { initialRetryTime: KAFKA_DEFAULTS.retryDelayMs, retries: KAFKA_DEFAULTS.retries, maxRetryTime: 30_000 },
  };
  // Every client can read lz4 topics; kafkajs's codecs are global, so this is done once, here rather than on import.
  registerLz4Codec();
  return new Kafka(config);
}
