/**
 * The Kafka connector on `@platformatic/kafka` (maintained, pure TypeScript):
 * the same {@link KafkaClient} contract as the kafkajs one, selected with
 * `openKafkaClient('platformatic', …)` or `--kafka-client platformatic`.
 *
 * @packageDocumentation
 */
import type { KafkaClient } from '../client.js';
import type { ConnectorLogger, KafkaConnection } from '../config.js';
import { mappingKafkaErrors } from '../errors.js';
import { consumerLag, ensureTopic, groupMembers } from './admin.js';
import { platformaticOptions } from './connection.js';
import { PlatformaticSource } from './platformatic-source.js';
import { PlatformaticTopicSink } from './platformatic-topic-sink.js';

export { PlatformaticSource, PlatformaticTopicSink, platformaticOptions };

/**
 * The {@link KafkaClient} on `@platformatic/kafka`. Throws a `ZodError` naming a
 * bad setting; its operations reject with errors mapped by `kafkaError` (e.g. `BROKER_UNREACHABLE`).
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
