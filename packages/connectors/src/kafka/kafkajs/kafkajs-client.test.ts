import { kafkaBootstrap } from '../../../../../test-support/kafka.js';
import { describeKafkaClientContract } from '../shared/kafka-client-contract.js';
import { kafkajsClient } from './kafkajs-client.js';

describeKafkaClientContract('kafkajs', async () => kafkajsClient({ brokers: [kafkaBootstrap()] }));
