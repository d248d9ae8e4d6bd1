import type { BaseOptions, SASLMechanismValue } from '@platformatic/kafka';
import { parseConfig } from '@sneakpipe/core';
import { KafkaConnectionSchema, SASL_MECHANISMS, tlsOf, type KafkaConnection } from '../shared/config.js';
import { KAFKA_DEFAULTS } from '../shared/defaults.js';

const MECHANISMS: Record<(typeof SASL_MECHANISMS)[number], SASLMechanismValue> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
};

/**
 * `@platformatic/kafka`'s client options from the connector's validated
 * connection settings (the same ones kafkajs takes). Throws a `ConfigError`
 * naming a bad setting.
 */
export function platformaticOptions(connection: KafkaConnection): BaseOptions {
  const c = parseConfig(KafkaConnectionSchema, connection, 'Kafka');
  const tls = tlsOf(c);
  return {
    clientId: c.clientId,
    bootstrapBrokers: c.brokers,
    connectTimeout: c.connectionTimeoutMs,
    timeout: c.requestTimeoutMs,
    // The library's own retries cover a leader moving or a broker restarting.
    retries: KAFKA_DEFAULTS.retries,
    retryDelay: KAFKA_DEFAULTS.retryDelayMs,
    ...(tls === false ? {} : { tls: tls.ca ? { ca: tls.ca, rejectUnauthorized: true } : {} }),
    ...(c.sasl ? { sasl: { mechanism: MECHANISMS[c.sasl.mechanism], username: c.sasl.username, password: c.sasl.password } } : {}),
  };
}
