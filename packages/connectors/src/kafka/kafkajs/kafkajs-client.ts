import type { KafkaClient } from '../shared/kafka-client.js';
import type { ConnectorLogger, KafkaConnection } from '../shared/config.js';
import { mappingKafkaErrors } from '../shared/errors.js';
import { consumerLag, ensureTopic, groupMembers } from './admin.js';
import { createKafkajs } from './connection.js';
import { KafkajsSource } from './kafkajs-source.js';
import { KafkajsTopicSink } from './kafkajs-topic-sink.js';

/**
 * The {@link KafkaClient} on kafkajs. Throws a `ConfigError` naming a bad
 * setting; its operations reject with errors mapped by `kafkaError` (e.g.
 * `BROKER_UNREACHABLE`). Same signature as `platformaticClient`.
 *
 * @example
 * ```ts
 * import { kafkajsClient } from '@sneakpipe/connectors/kafka/kafkajs';
 *
 * const kafka = kafkajsClient({ brokers: ['localhost:9092'] });
 * const topic = await kafka.topicSink({ topic: 'sneaker-orders' });
 * await topic.write([{ key: Buffer.from('42'), value: Buffer.from('{}') }]);
 * await topic.close();
 * ```
 */
export function kafkajsClient(connection: KafkaConnection, logger?: ConnectorLogger): KafkaClient {
  const kafka = createKafkajs(connection, logger);
  return {
    name: 'kafkajs',
    ensureTopic: (spec) => mappingKafkaErrors(() => ensureTopic(kafka, spec)),
    consumerLag: (groupId, topic) => mappingKafkaErrors(() => consumerLag(kafka, groupId, topic)),
    groupMembers: (groupId, topic) => mappingKafkaErrors(() => groupMembers(kafka, groupId, topic)),
    topicSink: (options) => mappingKafkaErrors(() => KafkajsTopicSink.connect(kafka, options)),
    source: (options) => new KafkajsSource(kafka, { ...(logger ? { logger } : {}), ...options }),
  };
}
