import type { KafkaClient, KafkaClientName } from './shared/kafka-client.js';
import type { ConnectorLogger, KafkaConnection } from './shared/config.js';

/**
 * The {@link KafkaClient} of the named library. Each library is loaded only
 * when asked for. Throws a `ConfigError` naming a bad setting.
 *
 * @example
 * ```ts
 * import { openKafkaClient } from '@sneakpipe/connectors/kafka';
 *
 * const kafka = await openKafkaClient('platformatic', { brokers: ['localhost:9092'] });
 * const topic = await kafka.topicSink({ topic: 'sneaker-orders' });
 * ```
 */
export async function openKafkaClient(name: KafkaClientName, connection: KafkaConnection, logger?: ConnectorLogger): Promise<KafkaClient> {
  if (name === 'kafkajs') {
    const { kafkajsClient } = await import('./kafkajs/kafkajs-client.js');
    return kafkajsClient(connection, logger);
  }
  const { platformaticClient } = await import('./platformatic/platformatic-client.js');
  return platformaticClient(connection, logger);
}
