import type { KafkaClientConnector } from '../shared/kafka-client.js';
import { KafkaConnectionSchema } from '../shared/config.js';

/**
 * The kafkajs client as a connector: `open` loads kafkajs only when called,
 * so importing this (or `KAFKA_CLIENT_CONNECTORS`) loads no Kafka library.
 *
 * @example
 * ```ts
 * import { kafkajsConnector } from '@sneakpipe/connectors/kafka/kafkajs';
 *
 * const kafka = await kafkajsConnector.open({ brokers: ['localhost:9092'] });
 * await kafka.ensureTopic({ topic: 'sneaker-orders' });
 * ```
 */
export const kafkajsConnector: KafkaClientConnector = {
  name: 'kafkajs',
  config: KafkaConnectionSchema,
  async open(connection, logger) {
    const { kafkajsClient } = await import('./kafkajs-client.js');
    return kafkajsClient(connection, logger);
  },
};
