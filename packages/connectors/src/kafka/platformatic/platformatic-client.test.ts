import { kafkaBootstrap } from '../../../../../test-support/kafka.js';
import { describeKafkaClientContract } from '../shared/kafka-client-contract.js';
import { platformaticClient } from './platformatic-client.js';

describeKafkaClientContract('platformatic', async () => platformaticClient({ brokers: [kafkaBootstrap()] }));
