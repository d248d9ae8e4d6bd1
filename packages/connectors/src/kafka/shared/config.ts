import { z } from 'zod';
import { KAFKA_DEFAULTS } from './defaults.js';

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
 * Connection settings of the Kafka connector, validated, whichever client
 * library connects: brokers, TLS and SASL (PLAIN, SCRAM-SHA-256,
 * SCRAM-SHA-512). Passwords are accepted here and handed only to the client
 * library that connects (kafkajs or `@platformatic/kafka`); they are never
 * logged.
 */
export const KafkaConnectionSchema = z
  .object({
    /** `host:port` list; the seed's `KAFKA_BOOTSTRAP` is a comma-separated form of it. */
    brokers: z.array(hostPort).min(1, 'expected at least one HOST:PORT'),
    clientId: z.string().min(1).default(KAFKA_DEFAULTS.clientId),
    /** TLS: `true` for the system CAs, or a CA file for a private one. */
    ssl: z.union([z.boolean(), z.object({ caFile: z.string().min(1), rejectUnauthorized: z.boolean().default(true) })]).default(false),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1, 'expected a SASL username'),
        password: z.string().min(1, 'expected a SASL password'),
      })
      .optional(),
    connectionTimeoutMs: z.number().int().positive().default(KAFKA_DEFAULTS.connectionTimeoutMs),
    requestTimeoutMs: z.number().int().positive().default(KAFKA_DEFAULTS.requestTimeoutMs),
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
