import { readFileSync } from 'node:fs';
import type { BaseOptions, SASLMechanismValue } from '@platformatic/kafka';
import { KafkaConnectionSchema, type KafkaConnection } from '../shared/config.js';
import { KAFKA_DEFAULTS } from '../shared/defaults.js';

const MECHANISMS: Record<'plain' | 'scram-sha-256' | 'scram-sha-512', SASLMechanismValue> = {
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
  return {
    clientId: c.clientId,
    bootstrapBrokers: c.brokers,
    connectTimeout: c.connectionTimeoutMs,
    timeout: c.requestTimeoutMs,
    // The library's own retries cover a leader moving or a broker restarting.
    retries: KAFKA_DEFAULTS.retries,
    retryDelay: KAFKA_DEFAULTS.retryDelayMs,
    ...(c.ssl === false
      ? {}
      : { tls: c.ssl === true ? {} : { ca: [readFileSync(c.ssl.caFile, 'utf8')], rejectUnauthorized: c.ssl.rejectUnauthorized } }),
    ...(c.sasl ? { sasl: { mechanism: MECHANISMS[c.sasl.mechanism], username: c.sasl.username, password: c.sasl.password } } : {}),
  };
}

/**
 * Kafka's error type (e.g. `ILLEGAL_GENERATION`) and retriability of a
 * `@platformatic/kafka` error, looking into its aggregated and wrapped errors.
 */
export function platformaticErrorOf(error: unknown): { type: string; retriable: boolean } {
  const queue: unknown[] = [error];
  let passing = false;
  for (let seen = 0; queue.length > 0 && seen < 50; seen++) {
    const e = queue.shift() as { apiId?: string; canRetry?: boolean; code?: string; errors?: unknown[]; cause?: unknown } | undefined;
    if (!e || typeof e !== 'object') continue;
    if (e.apiId) return { type: e.apiId, retriable: Boolean(e.canRetry) };
    // Network errors and timeouts pass: the broker is restarting or a leader moving.
    passing ||= e.code === 'PLT_KFK_NETWORK' || e.code === 'PLT_KFK_TIMEOUT';
    if (Array.isArray(e.errors)) queue.push(...e.errors);
    if (e.cause) queue.push(e.cause);
  }
  return { type: (error as { code?: string } | undefined)?.code ?? '', retriable: passing };
}
