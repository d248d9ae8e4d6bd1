import { ConfigError } from '@sneakpipe/core';
import type { KafkaClientConnector } from './shared/kafka-client.js';
import { kafkajsConnector } from './kafkajs/connector.js';
import { platformaticConnector } from './platformatic/connector.js';

/**
 * Every Kafka client library as a connector, found by name, the default
 * first (the order of `KAFKA_CLIENTS`). Importing this loads no Kafka library:
 * each connector loads its own when it opens. A new library is a folder of
 * its own (its `KafkaClient`, its connector) and one line here; the contract
 * suite runs over this list.
 */
export const KAFKA_CLIENT_CONNECTORS: readonly KafkaClientConnector[] = [platformaticConnector, kafkajsConnector];

/**
 * The Kafka client connector called `name`; a `ConfigError` listing the
 * others when there is none.
 *
 * @example
 * ```ts
 * import { kafkaClientConnector } from '@sneakpipe/connectors/kafka';
 *
 * const kafka = await kafkaClientConnector(process.env.SNEAKPIPE_KAFKA_CLIENT ?? 'platformatic').open({ brokers: ['localhost:9092'] });
 * await kafka.ensureTopic({ topic: 'sneaker-orders' });
 * ```
 */
export function kafkaClientConnector(name: string): KafkaClientConnector {
  const found = KAFKA_CLIENT_CONNECTORS.find((c) => c.name === name);
  if (!found)
    throw new ConfigError(
      `unknown Kafka client ${JSON.stringify(name)}: expected one of ${KAFKA_CLIENT_CONNECTORS.map((c) => c.name).join(', ')}`,
    );
  return found;
}
