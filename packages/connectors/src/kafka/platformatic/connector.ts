import type { KafkaClientConnector } from '../shared/kafka-client.js';
import { KafkaConnectionSchema } from '../shared/config.js';

/**
 * The `@platformatic/kafka` client as a connector: `open` loads the library
 * only when called, so importing this (or `KAFKA_CLIENT_CONNECTORS`) loads no
 * Kafka library.
 *
 * @example
 * ```ts
 * import { platformaticConnector } from '@sneakpipe/connectors/kafka/platformatic';
 *
 * const kafka = await platformaticConnector.open({ brokers: ['localhost:9092'] });
 * await kafka.ensureTopic({ topic: 'sneaker-orders' });
 * ```
 */
export const platformaticConnector: KafkaClientConnector = {
  name: 'platformatic',
  config: KafkaConnectionSchema,
  async open(connection, logger) {
    const { platformaticClient } = await import('./platformatic-client.js');
    return platformaticClient(connection, logger);
  },
};
