import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { report, startBroker, stopBroker } from '@sneakpipe/test-support/faults';
import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it.each(KAFKA_CLIENTS)(
  'broker restart mid-run with the %s client: producer and consumer recover on their own; nothing lost, nothing duplicated',
  async (client) => {
    const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-restart-'));
    const warehouse = join(dir, 'w.duckdb');
    const topic = uniqueTopic('restart');
    const env = {
      KAFKA_BOOTSTRAP: kafkaBootstrap(),
      KAFKA_TOPIC_NAME: topic,
      SNEAKPIPE_LOG_LEVEL: 'debug',
      SNEAKPIPE_KAFKA_CLIENT: client,
    };
    const events = 40_000;
    const producer = startCli(['produce', '--count', String(events), '--rate', '2000', '--seed', '4'], env);
    const consumer = startCli(
      ['consume', '--group', `g-${topic}`, '--warehouse', warehouse, '--batch-size', '1000', '--batch-wait-ms', '200'],
      env,
    );
    try {
      await consumer.waitFor(/batch loaded/, 120_000);
      await sleep(3_000);
      stopBroker();
      const downAt = Date.now();
      await sleep(5_000);
      startBroker();
      const upAt = Date.now();
      const batchesBefore = (consumer.stderr().match(/batch loaded/g) ?? []).length;
      // Recovered when the consumer loads again.
      // Bounded, so a consumer that never recovers fails with its last words rather than at the test's timeout.
      const lastWords = () =>
        consumer
          .stderr()
          .split('\n')
          .filter((l) => !l.includes('"level":20'))
          .slice(-12)
          .map((l) => l.slice(0, 400))
          .join('\n');
      const deadline = Date.now() + 150_000;
      while ((consumer.stderr().match(/batch loaded/g) ?? []).length <= batchesBefore) {
        if (Date.now() > deadline) throw new Error(`the consumer did not load again within 150 s of the restart:\n${lastWords()}`);
        await sleep(200);
      }
      const recovered = (Date.now() - upAt) / 1000;
      // The outage makes the consumer idle for a while, so it is not told to exit
      // when idle: once the producer is done and the group's lag is 0, it is stopped.
      const p = await producer.done;
      for (;;) {
        const lag = await (await openKafkaClient('kafkajs', { brokers: [kafkaBootstrap()] })).consumerLag(`g-${topic}`, topic);
        if (lag.every((x) => x.lag === 0)) break;
        if (Date.now() > deadline + 60_000) throw new Error(`the group's lag never reached 0: ${JSON.stringify(lag)}\n${lastWords()}`);
        await sleep(500);
      }
      consumer.child.kill('SIGTERM');
      const c = await consumer.done;
      const [[rows, distinct]] = (await queryDuckDbFile(
        warehouse,
        'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS',
      )) as [[bigint, bigint]];
      // What was measured, printed whether or not the asserts below pass.
      const peak = /"peakRss":(\d+)/.exec(c.stderr)?.[1];
      report({
        case: `broker restart (${client})`,
        events,
        faults: `broker down ${((upAt - downAt) / 1000).toFixed(1)} s`,
        lost: events - Number(distinct),
        duplicated: Number(rows) - Number(distinct),
        peakRssMb: peak ? Math.round(Number(peak) / 2 ** 20) : 'n/a',
        recoverSeconds: recovered.toFixed(1),
      });
      expect(p.code, p.stderr.slice(-2000)).toBe(0);
      expect(c.code, c.stderr.slice(-2000)).toBe(0);
      expect(Number(distinct)).toBe(events);
      expect(Number(rows)).toBe(events);
    } finally {
      for (const cli of [producer, consumer]) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
