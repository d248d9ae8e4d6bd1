import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OrderEventSchema } from '@sneakpipe/sneakers';
import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';

const libs = fileURLToPath(new URL('../../../.infra/kafka/libs/*', import.meta.url));

describe("interoperability with Kafka's own Java client", () => {
  for (const compression of ['gzip', 'lz4'] as const) {
    it(`events published with ${compression} are read back intact by Kafka's console consumer`, async () => {
      const topic = uniqueTopic(`interop-${compression}`);
      const produced = await runCli(['produce', '--count', '500', '--topic', topic, '--compression', compression], {
        KAFKA_BOOTSTRAP: kafkaBootstrap(),
      });
      expect(produced.code, produced.stderr).toBe(0);
      const out = execFileSync(
        'java',
        [
          '-cp',
          libs,
          'org.apache.kafka.tools.consumer.ConsoleConsumer',
          '--bootstrap-server',
          kafkaBootstrap(),
          '--topic',
          topic,
          '--from-beginning',
          '--max-messages',
          '500',
          '--timeout-ms',
          '30000',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(500);
      for (const line of lines) expect(OrderEventSchema.safeParse(JSON.parse(line)).success).toBe(true);
      expect(new Set(lines.map((l) => JSON.parse(l).event_id)).size).toBe(500);
    });
  }
});
