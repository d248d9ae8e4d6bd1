import type { KafkaClient, KafkaClientName } from './client.js';
import type { ConnectorLogger, KafkaConnection } from './config.js';
import { kafkajsClient } from './kafkajs-client.js';

/**
 * The {@link KafkaClient} of the named library. `@platformatic/kafka` is
 * loaded only when asked for. Throws a `ZodError` naming a bad setting.
 *
 * @example
 * ```ts
 * const kafka = await openKafkaClient('platformatic', { brokers: ['localhost:9092'] });
 * const topic = await kafka.topicSink({ topic: 'sneaker-orders' });
 * ```
 */
export async function openKafkaClient(name: KafkaClientName, connection: KafkaConnection, logger?: ConnectorLogger): Promise<KafkaClient> {
  if (name === 'kafkajs') return kafkajsClient(connection, logger);
  const { platformaticClient } = await import('./platformatic/index.js');
  return platformaticClient(connection, logger);
}
