import { z } from 'zod';
import { KAFKA_CLIENTS, parseBrokers, type KafkaConnection } from '@sneakpipe/connectors/kafka';
import { bool, nonEmpty, positiveInt } from './schemas.js';
import { SettingsError, type Setting, type SettingsValues } from './settings.js';

const brokers = z
  .string({ error: 'expected HOST:PORT[,HOST:PORT…]' })
  .transform(parseBrokers)
  .pipe(z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected HOST:PORT[,HOST:PORT…]')).min(1, 'expected HOST:PORT[,HOST:PORT…]'));
const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'expected a Kafka topic name (letters, digits, . _ -)');

/** Kafka connection settings shared by `produce` and `consume`, with the seed's environment names. */
export const kafkaSettings = {
  brokers: {
    flag: 'brokers',
    value: 'host:port,…',
    env: 'KAFKA_BOOTSTRAP',
    schema: brokers,
    default: 'localhost:9092',
    description: 'Kafka bootstrap servers',
  },
  topic: {
    flag: 'topic',
    value: 'name',
    env: 'KAFKA_TOPIC_NAME',
    schema: topicName,
    default: 'sneaker-orders',
    description: 'topic of order events',
  },
  kafkaClient: {
    flag: 'kafka-client',
    value: 'library',
    env: 'SNEAKPIPE_KAFKA_CLIENT',
    schema: z.enum(KAFKA_CLIENTS, { error: `expected ${KAFKA_CLIENTS.join(' or ')}` }),
    default: KAFKA_CLIENTS[0],
    description: 'Kafka client library: platformatic (@platformatic/kafka) or kafkajs',
  },
  ssl: { flag: 'kafka-ssl', env: 'KAFKA_SSL', schema: bool, default: 'false', description: 'connect to Kafka over TLS' },
  sslCaFile: {
    flag: 'kafka-ssl-ca-file',
    value: 'path',
    env: 'KAFKA_SSL_CA_FILE',
    schema: nonEmpty('a file path').optional(),
    description: 'CA certificate for a private TLS authority (implies --kafka-ssl)',
  },
  saslMechanism: {
    flag: 'kafka-sasl-mechanism',
    value: 'mechanism',
    env: 'KAFKA_SASL_MECHANISM',
    schema: z.enum(['plain', 'scram-sha-256', 'scram-sha-512'], { error: 'expected plain, scram-sha-256 or scram-sha-512' }).optional(),
    description: 'SASL mechanism',
  },
  saslUsername: {
    flag: 'kafka-sasl-username',
    value: 'user',
    env: 'KAFKA_SASL_USERNAME',
    schema: nonEmpty('a user name').optional(),
    description: 'SASL user',
  },
  saslPassword: {
    flag: 'kafka-sasl-password',
    value: 'password',
    env: 'KAFKA_SASL_PASSWORD',
    schema: nonEmpty('a password').optional(),
    secret: true,
    description: 'SASL password (prefer the environment variable)',
  },
} satisfies Record<string, Setting>;

/** Topic creation settings (producer side). */
export const topicSettings = {
  partitions: { flag: 'partitions', value: 'n', schema: positiveInt(), default: '3', description: 'partitions when creating the topic' },
  replicationFactor: {
    flag: 'replication-factor',
    value: 'n',
    env: 'KAFKA_REPLICATION_FACTOR',
    schema: positiveInt(),
    default: '1',
    description: 'replicas when creating the topic',
  },
} satisfies Record<string, Setting>;

/** Builds the connector's connection settings, checking that SASL settings come together. */
export function kafkaConnection(values: SettingsValues<typeof kafkaSettings>): KafkaConnection {
  const { saslMechanism: mechanism, saslUsername: username, saslPassword: password } = values;
  const sasl = [mechanism, username, password].filter((x) => x !== undefined).length;
  if (sasl > 0 && sasl < 3) {
    throw new SettingsError('incomplete SASL settings: set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together');
  }
  return {
    brokers: values.brokers,
    ssl: values.sslCaFile ? { caFile: values.sslCaFile, rejectUnauthorized: true } : values.ssl,
    ...(mechanism && username && password ? { sasl: { mechanism, username, password } } : {}),
  };
}

/** The consumer group (`consume` joins it; `status` describes it). */
export const groupSettings = {
  group: {
    flag: 'group',
    value: 'id',
    env: 'KAFKA_GROUP_ID',
    schema: nonEmpty('a consumer group id'),
    default: 'sneakpipe-loader',
    description: 'consumer group: consumers in one group share the partitions',
  },
} satisfies Record<string, Setting>;
