import { SneakpipeError, isRetriable } from '@sneakpipe/core';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { failureOf } from '@sneakpipe/test-support/failure';
import { kafkaBootstrap } from '@sneakpipe/test-support/kafka';
import { KAFKA_CLIENTS } from './kafka-client.js';
import { kafkaError } from './errors.js';
import { openKafkaClient } from '../open-kafka-client.js';

describe('Kafka errors in the error model, from the real client libraries', () => {
  it('kafkajs, nothing listening at 127.0.0.1:1: BROKER_UNREACHABLE, retriable, naming the broker and the cause', async () => {
    // The library's own retries kept short; what is mapped is the error it ends with.
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], retry: { retries: 1, initialRetryTime: 50 }, logLevel: logLevel.NOTHING });
    const raw = await failureOf(() => kafka.admin().connect());
    const mapped = kafkaError(raw);
    expect(mapped).toBeInstanceOf(SneakpipeError);
    expect([(mapped as SneakpipeError).code, isRetriable(mapped)]).toEqual(['BROKER_UNREACHABLE', true]);
    expect((mapped as Error).message).toBe('cannot reach broker 127.0.0.1:1 (ECONNREFUSED)');
    expect((mapped as Error).cause).toBe(raw);
  });

  it('@platformatic/kafka through its KafkaClient, nothing listening at 127.0.0.1:1: the same code and line', async () => {
    const client = await openKafkaClient('platformatic', { brokers: ['127.0.0.1:1'], connectionTimeoutMs: 1_000 });
    const error = await failureOf(() => client.ensureTopic({ topic: 'never-created' }));
    expect([(error as SneakpipeError).code, isRetriable(error)]).toEqual(['BROKER_UNREACHABLE', true]);
    expect((error as Error).message).toBe('cannot reach broker 127.0.0.1:1 (ECONNREFUSED)');
  });

  // The test broker's listener has no SASL: a client that authenticates is refused (ILLEGAL_SASL_STATE).
  it.each(KAFKA_CLIENTS)(
    '%s, SASL against a listener without it: AUTH_FAILED, retried (credentials can be late to reach a broker)',
    async (name) => {
      const client = await openKafkaClient(name, {
        brokers: [kafkaBootstrap()],
        sasl: { mechanism: 'scram-sha-512', username: 'loader', password: 'not-logged' },
      });
      const error = await failureOf(() => client.ensureTopic({ topic: 'never-created' }));
      expect([(error as SneakpipeError).code, isRetriable(error)]).toEqual(['AUTH_FAILED', true]);
      expect((error as Error).message).toMatch(/^Kafka refused the SASL authentication/);
      expect((error as Error).message).not.toContain('not-logged');
    },
  );

  // The test broker is a single one: three replicas cannot be placed.
  it.each(KAFKA_CLIENTS)('%s, a topic with more replicas than brokers: KAFKA_ERROR, not retried, as the broker says', async (name) => {
    const client = await openKafkaClient(name, { brokers: [kafkaBootstrap()] });
    const error = await failureOf(() => client.ensureTopic({ topic: `never-created-${name}-${Date.now()}`, replicationFactor: 3 }));
    expect([(error as SneakpipeError).code, isRetriable(error)]).toEqual(['KAFKA_ERROR', false]);
    expect((error as Error).message).toMatch(/^Kafka error INVALID_REPLICATION_FACTOR: /);
  });
});
