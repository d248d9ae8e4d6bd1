import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const envFile = fileURLToPath(new URL('../.infra/kafka.env', import.meta.url));

/**
 * The address of the real Kafka broker that the test command started
 * (scripts/infra/kafka.sh up). Tests never fall back to a fake.
 */
export function kafkaBootstrap(): string {
  if (process.env.KAFKA_BOOTSTRAP) return process.env.KAFKA_BOOTSTRAP;
  if (existsSync(envFile)) {
    const match = /^KAFKA_BOOTSTRAP=(.+)$/m.exec(readFileSync(envFile, 'utf8'));
    if (match) return match[1]!.trim();
  }
  throw new Error('No Kafka broker for the tests: run `npm run infra:up` first (`npm test` does it for you).');
}

/** A plain kafkajs client for test set-up and independent checks. */
export function testKafka(): Kafka {
  return new Kafka({ clientId: 'sneakpipe-test', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
}

let counter = 0;
/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

/** Reads every message of a topic from the beginning until `expected` arrive or `timeoutMs` passes. */
export async function readTopic(
  topic: string,
  expected: number,
  timeoutMs = 30_000,
): Promise<{ value: Buffer | null; headers: Record<string, string>; partition: number }[]> {
  const consumer = testKafka().consumer({ groupId: `reader-${uniqueTopic('g')}` });
  const out: { value: Buffer | null; headers: Record<string, string>; partition: number }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        out.push({ value: message.value, headers, partition });
        if (out.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}
