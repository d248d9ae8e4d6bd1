import { ConfigError } from '@sneakpipe/core';
import { describe, expect, it, vi } from 'vitest';
import { KafkaConnectionSchema } from './shared/config.js';
import { KAFKA_CLIENTS } from './shared/kafka-client.js';
import { KAFKA_CLIENT_CONNECTORS, kafkaClientConnector } from './kafka-client-connectors.js';
import { openKafkaClient } from './open-kafka-client.js';

// Each Kafka library is recorded when something loads it, then loads as it is.
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('kafkajs', async (importOriginal) => {
  loaded.add('kafkajs');
  return importOriginal();
});
vi.mock('@platformatic/kafka', async (importOriginal) => {
  loaded.add('@platformatic/kafka');
  return importOriginal();
});

/** Nothing listens there; no test here connects. */
const nowhere = { brokers: ['127.0.0.1:1'] };

describe('Kafka client connectors, found by name', () => {
  // First: once a library is loaded, it stays loaded for the rest of this file.
  it('importing the list loads no Kafka library; opening a connector loads its own only and gives the client of that name', async () => {
    expect(KAFKA_CLIENT_CONNECTORS).toHaveLength(KAFKA_CLIENTS.length);
    expect([...loaded]).toEqual([]);
    expect((await kafkaClientConnector('kafkajs').open(nowhere)).name).toBe('kafkajs');
    expect([...loaded]).toEqual(['kafkajs']);
    expect((await openKafkaClient('platformatic', nowhere)).name).toBe('platformatic');
    expect([...loaded].sort()).toEqual(['@platformatic/kafka', 'kafkajs']);
  });

  it('has one connector per client library, named as KAFKA_CLIENTS names them, the default first, each with the connection schema', () => {
    expect(KAFKA_CLIENT_CONNECTORS.map((c) => c.name)).toEqual([...KAFKA_CLIENTS]);
    for (const connector of KAFKA_CLIENT_CONNECTORS) {
      expect(kafkaClientConnector(connector.name)).toBe(connector);
      expect(connector.config).toBe(KafkaConnectionSchema);
    }
  });

  it('an unknown name is a ConfigError listing the known ones, from the lookup and from openKafkaClient', async () => {
    expect(() => kafkaClientConnector('rdkafka')).toThrow(ConfigError);
    expect(() => kafkaClientConnector('rdkafka')).toThrow('unknown Kafka client "rdkafka": expected one of platformatic, kafkajs');
    await expect(openKafkaClient('rdkafka', nowhere)).rejects.toThrow(ConfigError);
  });

  it.each(KAFKA_CLIENTS)('%s: a bad setting is a ConfigError naming it, before anything connects', async (name) => {
    await expect(kafkaClientConnector(name).open({ brokers: ['no-port'] })).rejects.toThrow(ConfigError);
    await expect(kafkaClientConnector(name).open({ brokers: ['no-port'] })).rejects.toThrow(/invalid Kafka setting brokers/);
  });
});
