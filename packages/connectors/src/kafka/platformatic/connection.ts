import type { BaseOptions, SASLMechanismValue } from '@platformatic/kafka';
import { KafkaConnectionSchema, SASL_MECHANISMS, tlsOf, type KafkaConnection } from '../config.js';

const MECHANISMS: Record<(typeof SASL_MECHANISMS)[number], SASLMechanismValue> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
};

/**
 * `@platformatic/kafka`'s client options from the connector's validated
 * connection settings (the same ones kafkajs takes). Throws a `ZodError`
 * naming a bad setting.
 */
export function platformaticOptions(connection: KafkaConnection): BaseOptions {
  const c = KafkaConnectionSchema.parse(connection);
  const tls = tlsOf(c);
  return {
    clientId: c.clientId,
    bootstrapBrokers: c.brokers,
    connectTimeout: c.connectionTimeoutMs,
    timeout: c.requestTimeoutMs,
    // The library's own retries cover a leader moving or a broker restarting.
    retries: 8,
    retryDelay: 300,
    ...(tls === false ? {} : { tls: tls.ca ? { ca: tls.ca, rejectUnauthorized: true } : {} }),
    ...(c.sasl ? { sasl: { mechanism: MECHANISMS[c.sasl.mechanism], username: c.sasl.username, password: c.sasl.password } } : {}),
  };
}
