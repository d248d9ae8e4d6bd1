import { describeKafkaClientContract } from '@sneakpipe/connectors/kafka/testing';
import { kafkaBootstrap } from '@sneakpipe/test-support/kafka';
import { KAFKA_CLIENT_CONNECTORS } from './kafka-client-connectors.js';
import { openKafkaClient } from './open-kafka-client.js';

/*
 * The real-broker contract over the list of Kafka client connectors, each
 * opened by name as the CLI opens it: a library added to
 * KAFKA_CLIENT_CONNECTORS runs it with nothing more to write.
 */
for (const { name } of KAFKA_CLIENT_CONNECTORS) {
  describeKafkaClientContract(name, () => openKafkaClient(name, { brokers: [kafkaBootstrap()] }));
}
