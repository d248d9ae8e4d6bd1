import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type SASLOptions, type logCreator } from 'kafkajs';
import { z } from 'zod';

/** A logger the connector can write to; pino's fits. */
export interface ConnectorLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const hostPort = z
  .string()
  .trim()
  .regex(/^[^\s:,]+:\d{1,5}$/, 'expected HOST:PORT');

/**
 * Connection settings of the Kafka connector, validated: brokers, TLS and
 * SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). Passwords are accepted here and
 * handed to kafkajs only; they are never logged.
 */
export const KafkaConnectionSchema = z
  .object({
    /** `host:port` list; the seed's `KAFKA_BOOTSTRAP` is a comma-separated form of it. */
    brokers: z.array(hostPort).min(1, 'expected at least one HOST:PORT'),
    clientId: z.string().min(1).default('sneakpipe'),
    /** TLS: `true` for the system CAs, or a CA file for a private one. */
    ssl: z.union([z.boolean(), z.object({ caFile: z.string().min(1), rejectUnauthorized: z.boolean().default(true) })]).default(false),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1, 'expected a SASL username'),
        password: z.string().min(1, 'expected a SASL password'),
      })
      .optional(),
    connectionTimeoutMs: z.number().int().positive().default(10_000),
    requestTimeoutMs: z.number().int().positive().default(30_000),
  })
  .superRefine((c, ctx) => {
    if (c.sasl && c.ssl === false && !c.brokers.every((b) => b.startsWith('127.') || b.startsWith('localhost:'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['ssl'],
        message: 'SASL without TLS would send the password in clear to a remote broker; enable ssl',
      });
    }
  });

export type KafkaConnection = z.input<typeof KafkaConnectionSchema>;

/** Parses `KAFKA_BOOTSTRAP`-style text (`host:port,host:port`) into a broker list. */
export function parseBrokers(text: string): string[] {
  return text
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

const levelName: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/** Routes kafkajs's logs to a connector logger, one structured line each. */
function logCreatorFor(logger: ConnectorLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...rest } = log;
      const name = levelName[level] ?? 'info';
      logger[name]({ kafkajs: namespace, ...rest }, message);
    };
}

/** A kafkajs client from validated settings. Throws a `ZodError` naming a bad setting. */
export function createKafkaClient(connection: KafkaConnection, logger?: ConnectorLogger): Kafka {
  const c = KafkaConnectionSchema.parse(connection);
  const config: KafkaConfig = {
    clientId: c.clientId,
    brokers: c.brokers,
    connectionTimeout: c.connectionTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    ssl: typeof c.ssl === 'boolean' ? c.ssl : { ca: [readFileSync(c.ssl.caFile, 'utf8')], rejectUnauthorized: c.ssl.rejectUnauthorized },
    ...(c.sasl ? { sasl: { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password } as SASLOptions } : {}),
    logLevel: logger ? KafkaLogLevel.WARN : KafkaLogLevel.NOTHING,
    ...(logger ? { logCreator: logCreatorFor(logger) } : {}),
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
  };
  return new Kafka(config);
}
