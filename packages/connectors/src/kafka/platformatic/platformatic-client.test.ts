import { kafkaBootstrap } from '../../../../../test-support/kafka.js';
import { describeKafkaClientContract } from '@sneakpipe/connectors/kafka/testing';
import { platformaticClient } from './platformatic-client.js';

describeKafkaClientContract('platformatic', async () => platformaticClient({ brokers: [kafkaBootstrap()] }));
