import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_CLIENTS } from '@sneakpipe/connectors/kafka';
import { expect, it } from 'vitest';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { report } from '@sneakpipe/test-support/faults';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The records a consumer run dropped as already loaded (its last "skipped" log line, or its summary). */
const skippedIn = (stderr: string) =>
  Math.max(
    0,
    ...[...stderr.matchAll(/"total":(\d+)[^\n]*skipped records|"skipped":(\d+)[^\n]*consumer finished/g)].map((m) => Number(m[1] ?? m[2])),
  );

/**
 * The group's committed offsets back to the start of the topic, as an operator
 * (or an expired offsets retention) would: every record is delivered again,
 * and the warehouse's positions alone must keep it from loading twice.
 */
async function rewindGroup(group: string, topic: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    // Only an empty group can be reset: the killed member leaves when its session times out.
    for (let tries = 0; ; tries++) {
      try {
        return await admin.resetOffsets({ groupId: group, topic, earliest: true });
      } catch (error) {
        if (tries > 60) throw error;
        await sleep(500);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

it.each(KAFKA_CLIENTS)(
  'crash with the %s client: SIGKILL the consumer 5 times while 100,000 events flow; replays are skipped, exactly 100,000 rows in a table without a key',
  async (client) => {
    const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-crash-'));
    const warehouse = join(dir, 'w.duckdb');
    const topic = uniqueTopic('crash');
    const group = `g-${topic}`;
    const env = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic, SNEAKPIPE_KAFKA_CLIENT: client };
    const consume = ['consume', '--group', group, '--warehouse', warehouse, '--batch-size', '2000', '--batch-wait-ms', '200'];
    const t0 = Date.now();
    // Slow enough that records still flow at the fifth kill, also for a consumer that seeks past what is loaded.
    const producer = startCli(['produce', '--count', '100000', '--rate', '2000', '--seed', '9'], env);
    const lifetimes: number[] = [];
    const skippedPerRun: number[] = [];
    /** Per run: whether it resumed assigned partitions from positions the warehouse had stored (kafkajs seeks there). */
    const resumedPerRun: boolean[] = [];
    const resumedIn = (stderr: string) => /"partitions":\{"\d+":\d+[^}]*\},"msg":"resuming from the stored positions"/.test(stderr);
    try {
      for (let kill = 1; kill <= 5; kill++) {
        const consumer = startCli(consume, { ...env, SNEAKPIPE_LOG_LEVEL: 'debug' });
        const started = Date.now();
        // Kill it mid-flow: after it loaded and committed at least one batch, at a random moment.
        await consumer.waitFor(/batch loaded/, 120_000);
        await sleep(Math.random() * 1000);
        consumer.child.kill('SIGKILL');
        await consumer.done;
        lifetimes.push((Date.now() - started) / 1000);
        skippedPerRun.push(skippedIn(consumer.stderr()));
        resumedPerRun.push(resumedIn(consumer.stderr()));
        // Twice, the group's offsets go back to the start: the next run is handed everything again.
        if (kill === 2 || kill === 4) await rewindGroup(group, topic);
      }
      const produced = await producer.done;
      const restarted = Date.now();
      const last = await runCli([...consume, '--exit-when-idle', '4000'], env);
      const recovered = (Date.now() - restarted) / 1000;
      skippedPerRun.push(skippedIn(last.stderr));
      const [[rows, distinct]] = (await queryDuckDbFile(
        warehouse,
        'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS',
      )) as [[bigint, bigint]];
      const [[keys]] = (await queryDuckDbFile(
        warehouse,
        "SELECT COUNT(*) FROM duckdb_constraints() WHERE table_name = 'STREAMING_ORDERS' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
      )) as [[bigint]];
      // What was measured, printed whether or not the asserts below pass.
      const peak = /"peakRss":(\d+)/.exec(last.stderr)?.[1];
      report({
        case: `crash (SIGKILL consumer; ${client})`,
        events: 100_000,
        faults: `5 SIGKILLs, 2 offset rewinds; replays skipped per run: ${skippedPerRun.join('/')}${client === 'kafkajs' ? ` (seeks: ${resumedPerRun.map(Number).join('/')})` : ''}`,
        lost: 100_000 - Number(distinct),
        duplicated: Number(rows) - Number(distinct),
        peakRssMb: peak ? Math.round(Number(peak) / 2 ** 20) : 'n/a',
        recoverSeconds: recovered.toFixed(1),
      });
      console.log(
        `crash case (${client}): ${((Date.now() - t0) / 1000).toFixed(1)} s in all; consumer lifetimes before each kill: ${lifetimes.map((s) => s.toFixed(1)).join(', ')} s; records skipped per run: ${skippedPerRun.join(', ')}`,
      );
      expect(produced.code, produced.stderr).toBe(0);
      expect(last.code, last.stderr).toBe(0);
      // Without a key, a record loaded twice would be a second row.
      expect(Number(keys)).toBe(0);
      expect(Number(rows)).toBe(100_000);
      expect(Number(distinct)).toBe(100_000);
      for (const run of [2, 4]) {
        if (client === 'kafkajs') {
          // After a rewind, kafkajs seeks the partitions to the stored positions: the replay is never fetched.
          expect(resumedPerRun[run], `run ${run} resumed from the warehouse's positions`).toBe(true);
        } else {
          // @platformatic/kafka cannot seek: the run after a rewind is handed records already loaded, and drops them.
          expect(skippedPerRun[run], `skipped per run: ${skippedPerRun}`).toBeGreaterThan(0);
        }
      }
    } finally {
      if (producer.child.exitCode === null) producer.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
