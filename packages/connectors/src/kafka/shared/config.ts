import { readFileSync } from 'node:fs';
import { ConfigError, fields, setting, type ConnectorDescriptor } from '@sneakpipe/core';
import { z } from 'zod';
import { KAFKA_DEFAULTS } from './defaults.js';
import { KAFKA_CLIENTS, KAFKA_COMPRESSIONS } from './kafka-client.js';

/** A logger the connector can write to; pino's fits. */
export interface ConnectorLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Parses `KAFKA_BOOTSTRAP`-style text (`host:port,host:port`) into a broker list. */
export function parseBrokers(text: string): string[] {
  return text
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

const HOST_PORTS = 'expected HOST:PORT[,HOST:PORT…]';
const hostPort = z
  .string()
  .trim()
  .regex(/^[^\s:,]+:\d{1,5}$/, HOST_PORTS);
/** A `host:port` list, or its `KAFKA_BOOTSTRAP` text form (`host:port,host:port`). */
const brokerList = z
  .union([z.string().transform(parseBrokers), z.array(z.string())], { error: HOST_PORTS })
  .pipe(z.array(hostPort).min(1, HOST_PORTS));

/** The SASL mechanisms both client libraries speak. */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** SASL comes as a whole: a part left out is named as such, not as a bad value. */
const INCOMPLETE_SASL = 'incomplete SASL settings: the mechanism, user name and password come together';
const missingOr = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? INCOMPLETE_SASL : message);

/** A Kafka topic name, as the broker accepts it. */
export const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'expected a Kafka topic name (letters, digits, . _ -)');

/**
 * The Kafka connector's settings: which client library, where the brokers
 * are, TLS, SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and how published
 * batches are compressed, whichever client library connects. Each field
 * carries its flag, environment variable and help ({@link setting}); the rules
 * are these, once, and the defaults are {@link KAFKA_DEFAULTS}'.
 * Passwords are handed to the client library that connects (kafkajs or
 * `@platformatic/kafka`) only and never logged.
 *
 * {@link KafkaConnectionSchema} adds the transport guard the connector applies
 * when it connects.
 */
export const KafkaSettingsSchema = z.object({
  brokers: setting(brokerList.default(['localhost:9092']), {
    flag: 'brokers',
    value: 'host:port,…',
    env: 'KAFKA_BOOTSTRAP',
    description: 'Kafka bootstrap servers',
  }),
  client: setting(fields.oneOf(KAFKA_CLIENTS).default(KAFKA_CLIENTS[0]), {
    flag: 'kafka-client',
    value: 'library',
    env: 'SNEAKPIPE_KAFKA_CLIENT',
    description: 'Kafka client library: platformatic (@platformatic/kafka) or kafkajs',
  }),
  clientId: z.string().min(1).default(KAFKA_DEFAULTS.clientId),
  ssl: setting(fields.bool.default(false), { flag: 'kafka-ssl', env: 'KAFKA_SSL', description: 'connect to Kafka over TLS' }),
  sslCaFile: setting(fields.nonEmpty('a file path').optional(), {
    flag: 'kafka-ssl-ca-file',
    value: 'path',
    env: 'KAFKA_SSL_CA_FILE',
    description: 'CA certificate for a private TLS authority (implies --kafka-ssl)',
  }),
  sasl: z
    .object({
      mechanism: setting(z.enum(SASL_MECHANISMS, { error: missingOr('expected plain, scram-sha-256 or scram-sha-512') }), {
        flag: 'kafka-sasl-mechanism',
        value: 'mechanism',
        env: 'KAFKA_SASL_MECHANISM',
        description: 'SASL mechanism',
      }),
      username: setting(
        z
          .string({ error: missingOr('expected a SASL user name') })
          .trim()
          .min(1, 'expected a SASL user name'),
        {
          flag: 'kafka-sasl-username',
          value: 'user',
          env: 'KAFKA_SASL_USERNAME',
          description: 'SASL user',
        },
      ),
      password: setting(z.string({ error: missingOr('expected a SASL password') }).min(1, 'expected a SASL password'), {
        flag: 'kafka-sasl-password',
        value: 'password',
        env: 'KAFKA_SASL_PASSWORD',
        secret: true,
        description: 'SASL password (prefer the environment variable)',
      }),
    })
    .optional(),
  compression: setting(fields.oneOf(KAFKA_COMPRESSIONS).default(KAFKA_DEFAULTS.compression), {
    flag: 'compression',
    value: 'codec',
    env: 'KAFKA_COMPRESSION',
    description: 'compression of published batches',
  }),
  connectionTimeoutMs: z.number().int().positive().default(KAFKA_DEFAULTS.connectionTimeoutMs),
  requestTimeoutMs: z.number().int().positive().default(KAFKA_DEFAULTS.requestTimeoutMs),
});

/**
 * The settings as the connector connects with them: {@link KafkaSettingsSchema}
 * plus the transport guard — SASL in clear text is refused unless the brokers
 * are on this machine. Checked when a client opens, whoever built the settings.
 */
export const KafkaConnectionSchema = KafkaSettingsSchema.superRefine((c, ctx) => {
  const tls = c.ssl || c.sslCaFile !== undefined;
  if (c.sasl && !tls && !c.brokers.every((b) => b.startsWith('127.') || b.startsWith('localhost:'))) {
    ctx.addIssue({
      code: 'custom',
      path: ['ssl'],
      message: 'SASL without TLS would send the password in clear to a remote broker; enable ssl',
    });
  }
});

/** The Kafka connector's settings as code passes them (text or typed values; defaults filled in). */
export type KafkaConnection = z.input<typeof KafkaConnectionSchema>;
/** The settings once validated. */
export type KafkaConnectionConfig = z.output<typeof KafkaConnectionSchema>;

/** The Kafka connector: its name and its config schema. */
export const kafkaConnector = { name: 'kafka', config: KafkaSettingsSchema } as const satisfies ConnectorDescriptor;

/**
 * Settings of what a command reads or writes, with their rules (the
 * application chooses the defaults): the topic, the consumer group, and how a
 * created topic is laid out.
 */
export const kafkaTopicSettings = {
  topic: setting(topicName, { flag: 'topic', value: 'name', env: 'KAFKA_TOPIC_NAME', description: 'topic of order events' }),
  group: setting(fields.nonEmpty('a consumer group id'), {
    flag: 'group',
    value: 'id',
    env: 'KAFKA_GROUP_ID',
    description: 'consumer group: consumers in one group share the partitions',
  }),
  partitions: setting(fields.positiveInt().default(KAFKA_DEFAULTS.partitions), {
    flag: 'partitions',
    value: 'n',
    description: 'partitions when creating the topic',
  }),
  fetchMaxBytesPerPartition: setting(fields.positiveInt().default(KAFKA_DEFAULTS.maxBytesPerPartition), {
    flag: 'fetch-max-bytes-per-partition',
    value: 'bytes',
    env: 'KAFKA_FETCH_MAX_BYTES_PER_PARTITION',
    description: 'most bytes a fetch asks of each partition: what a consumer holds fetched ahead of its loads',
  }),
  replicationFactor: setting(fields.positiveInt().default(KAFKA_DEFAULTS.replicationFactor), {
    flag: 'replication-factor',
    value: 'n',
    env: 'KAFKA_REPLICATION_FACTOR',
    description: 'replicas when creating the topic (3 on a cluster)',
  }),
};

/**
 * TLS options from validated settings: `false`, or the CA to trust
 * (`undefined`: the system's). A CA file that cannot be read is a
 * `ConfigError`: a setting to fix, not a passing failure to retry.
 */
export function tlsOf(c: KafkaConnectionConfig): false | { ca?: string[] } {
  if (c.sslCaFile) return { ca: [readCaFile(c.sslCaFile)] };
  return c.ssl ? {} : false;
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`invalid Kafka setting sslCaFile: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
