import type { KafkaClient } from './shared/kafka-client.js';
import type { ConnectorLogger, KafkaConnection } from './shared/config.js';
import { kafkaClientConnector } from './kafka-client-connectors.js';

/**
 * The {@link KafkaClient} of the named library (`KAFKA_CLIENT_CONNECTORS`).
 * Each library is loaded only when asked for. Throws a `ConfigError` naming
 * a bad setting, or listing the known libraries for an unknown name.
 *
 * @example
 * ```ts
 * import { openKafkaClient } from '@sneakpipe/connectors/kafka';
 *
 * const kafka = await openKafkaClient('platformatic', { brokers: ['localhost:9092'] });
 * const topic = await kafka.topicSink({ topic: 'sneaker-orders' });
 * ```
 */
export async function openKafkaClient(name: string, connection: KafkaConnection, logger?: ConnectorLogger): Promise<KafkaClient> {
  return kafkaClientConnector(name).open(connection, logger);
}
