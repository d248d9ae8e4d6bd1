import { kafkaBootstrap } from '../../../../../test-support/kafka.js';
import { describeKafkaClientContract } from '@sneakpipe/connectors/kafka/testing';
import { kafkajsClient } from './kafkajs-client.js';

describeKafkaClientContract('kafkajs', async () => kafkajsClient({ brokers: [kafkaBootstrap()] }));
