import type { KafkaClient } from '../shared/kafka-client.js';
import type { ConnectorLogger, KafkaConnection } from '../shared/config.js';
import { mappingKafkaErrors } from '../shared/errors.js';
import { consumerLag, ensureTopic, groupMembers } from './admin.js';
import { platformaticOptions } from './connection.js';
import { PlatformaticSource } from './platformatic-source.js';
import { PlatformaticTopicSink } from './platformatic-topic-sink.js';

/**
 * The {@link KafkaClient} on `@platformatic/kafka`. Throws a `ConfigError`
 * naming a bad setting; its operations reject with errors mapped by
 * `kafkaError` (e.g. `BROKER_UNREACHABLE`). Same signature as `kafkajsClient`.
 *
 * @example
 * ```ts
 * import { platformaticClient } from '@sneakpipe/connectors/kafka/platformatic';
 *
 * const kafka = platformaticClient({ brokers: ['localhost:9092'] });
 * const topic = await kafka.topicSink({ topic: 'sneaker-orders' });
 * await topic.write([{ key: Buffer.from('42'), value: Buffer.from('{}') }]);
 * await topic.close();
 * ```
 */
export function platformaticClient(connection: KafkaConnection, logger?: ConnectorLogger): KafkaClient {
  const options = platformaticOptions(connection);
  return {
    name: 'platformatic',
    ensureTopic: (spec) => mappingKafkaErrors(() => ensureTopic(options, spec)),
    consumerLag: (groupId, topic) => mappingKafkaErrors(() => consumerLag(options, groupId, topic)),
    groupMembers: (groupId, topic) => mappingKafkaErrors(() => groupMembers(options, groupId, topic)),
    topicSink: (sinkOptions) => mappingKafkaErrors(() => PlatformaticTopicSink.connect(options, sinkOptions)),
    source: (sourceOptions) => new PlatformaticSource(options, { ...(logger ? { logger } : {}), ...sourceOptions }),
  };
}
