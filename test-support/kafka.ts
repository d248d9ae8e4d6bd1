import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { needsInfrastructure } from './infrastructure.js';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'Kafka broker';

const envFile = fileURLToPath(new URL('../.infra/kafka.env', import.meta.url));

/**
 * The address of the real Kafka broker that the test command started
 * (infra/kafka.sh up). Tests never fall back to a fake.
 */
export function kafkaBootstrap(): string {
  needsInfrastructure('The Kafka broker');
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
/** The sum over partitions of a group's committed offsets on a topic (partitions without one count 0). */
export async function committedTotal(groupId: string, topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

export function uniqueTopic(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

/** One message of a topic, as {@link readTopic} returns it. */
export interface TopicMessage {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads a whole topic: every message from the beginning up to the end offsets
 * (high watermarks) the topic has when the call starts, and nothing is left
 * unread — so callers compare what they get exactly (a duplicate shows).
 * Throws if the end is not reached within `timeoutMs`.
 */
export async function readTopic(topic: string, options: { timeoutMs?: number } = {}): Promise<TopicMessage[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  const next = new Map<number, number>();
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      ends.set(p.partition, Number(p.high));
      next.set(p.partition, Number(p.low));
    }
  } finally {
    await admin.disconnect();
  }
  const out: TopicMessage[] = [];
  const atEnd = () => [...ends].every(([partition, end]) => next.get(partition)! >= end);
  if (atEnd()) return out;
  const consumer = kafka.consumer({ groupId: `reader-${uniqueTopic('g')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const behind = [...ends]
          .filter(([partition, end]) => next.get(partition)! < end)
          .map(([partition, end]) => `partition ${partition} at ${next.get(partition)} of ${end}`);
        reject(new Error(`readTopic(${topic}): the end was not reached within ${timeoutMs} ms (${behind.join(', ')})`));
      }, timeoutMs);
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            const offset = Number(message.offset);
            // Written after the call started, or delivered to this reader twice (a duplicate in the topic has its own offset).
            if (offset >= ends.get(partition)! || offset < next.get(partition)!) return;
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
            out.push({ partition, offset, key: message.key, value: message.value, headers });
            next.set(partition, offset + 1);
            if (atEnd()) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** Creates `topic` with `partitions` partitions and publishes `events` to it as JSON keyed by `event_id`, 5,000 per send. */
export async function publishEvents(topic: string, events: readonly { readonly event_id: string }[], partitions = 3): Promise<void> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let from = 0; from < events.length; from += 5_000) {
      const messages = events.slice(from, from + 5_000).map((e) => ({ key: e.event_id, value: JSON.stringify(e) }));
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
