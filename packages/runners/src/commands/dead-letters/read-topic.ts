import { openKafkaClient } from '@sneakpipe/connectors/kafka';
import { kafkaConnection } from '../../config/kafka-settings.js';
import { resolveSettings } from '../../config/settings.js';
import { readDeadLetterTopic, type TopicDeadLetter } from '../../warehouse-ops/dead-letter-topic.js';
import type { CommandContext } from '../context.js';
import { filterOf, matchesFilter, sourceTopicSetting, type FilterValues } from './filter.js';

/** The dead letters of `<topic>.dlq` (`--topic`, else the source topic setting) that match the filter settings. */
export async function readTopic(config: FilterValues, context: CommandContext): Promise<TopicDeadLetter[]> {
  const topic = config.topic ?? resolveSettings(sourceTopicSetting, {}).sourceTopic;
  const kafka = await openKafkaClient(config.kafkaClient, kafkaConnection(config), context.logger().child({ component: 'kafka' }));
  // The topic chose which dead-letter topic is read: every record there is from it.
  const filter = filterOf({ ...config, topic: undefined });
  return (await readDeadLetterTopic(kafka, topic)).filter((d) => matchesFilter(d, filter));
}
