import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, startCli } from '../test-support/cli.js';
import { queryDuckDbFile } from '../test-support/duckdb.js';
import { report } from '../test-support/faults.js';
import { kafkaBootstrap, uniqueTopic } from '../test-support/kafka.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('crash: SIGKILL the consumer 5 times while 100,000 events flow; exactly 100,000 distinct rows, no duplicate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-crash-'));
  const warehouse = join(dir, 'w.duckdb');
  const topic = uniqueTopic('crash');
  const env = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic };
  const consume = ['consume', '--group', `g-${topic}`, '--warehouse', warehouse, '--batch-size', '2000', '--batch-wait-ms', '200'];
  const t0 = Date.now();
  const producer = startCli(['produce', '--count', '100000', '--rate', '8000', '--seed', '9'], env);
  let kills = 0;
  let recoveries: number[] = [];
  try {
    while (kills < 5) {
      const consumer = startCli(consume, { ...env, SNEAKPIPE_LOG_LEVEL: 'debug' });
      const started = Date.now();
      // Kill it mid-flow: after it loaded and committed at least one batch, at a random moment.
      await consumer.waitFor(/batch loaded/, 120_000);
      await sleep(Math.random() * 1000);
      consumer.child.kill('SIGKILL');
      await consumer.done;
      kills++;
      recoveries.push((Date.now() - started) / 1000);
    }
    const produced = await producer.done;
    expect(produced.code, produced.stderr).toBe(0);
    const restarted = Date.now();
    const last = await runCli([...consume, '--exit-when-idle', '4000'], env);
    expect(last.code, last.stderr).toBe(0);
    const [[rows, distinct]] = (await queryDuckDbFile(
      warehouse,
      'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS',
    )) as [[bigint, bigint]];
    expect(Number(distinct)).toBe(100_000);
    expect(Number(rows)).toBe(100_000);
    const peak = /"peakRss":(\d+)/.exec(last.stderr)?.[1];
    report({
      case: 'crash (SIGKILL consumer)',
      events: 100_000,
      faults: `${kills} SIGKILLs`,
      lost: 100_000 - Number(distinct),
      duplicated: Number(rows) - Number(distinct),
      peakRssMb: peak ? Math.round(Number(peak) / 2 ** 20) : 'n/a',
      recoverSeconds: ((Date.now() - restarted) / 1000).toFixed(1),
    });
    console.log(
      `crash case: ${((Date.now() - t0) / 1000).toFixed(1)} s in all; consumer lifetimes before each kill: ${recoveries.map((s) => s.toFixed(1)).join(', ')} s`,
    );
  } finally {
    if (producer.child.exitCode === null) producer.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
