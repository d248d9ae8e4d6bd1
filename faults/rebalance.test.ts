import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowControl, loadPipeline } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, orderEventCodec, orderEventSink } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { KAFKA_CLIENTS, openKafkaClient, type KafkaGroupSource } from '@sneakpipe/connectors/kafka';
import { lastValueFrom, tap } from 'rxjs';
import { expect, it } from 'vitest';
import { startCli } from '@sneakpipe/test-support/cli';
import { report } from '@sneakpipe/test-support/faults';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it.each(KAFKA_CLIENTS)(
  'rebalance with the %s client: consumers join and leave the group during the run; nothing lost, no duplicate row',
  async (client) => {
    const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-rebalance-'));
    const topic = uniqueTopic('rebalance');
    const group = `g-${topic}`;
    const events = 30_000;
    const kafka = await openKafkaClient(client, { brokers: [kafkaBootstrap()] });
    // One warehouse shared by every member, as Snowflake would be.
    const warehouse = await DuckDbWarehouse.open({ path: join(dir, 'w.duckdb') }, { tables: WAREHOUSE_TABLES });
    const producer = startCli(['produce', '--count', String(events), '--rate', '2000', '--seed', '6'], {
      KAFKA_BOOTSTRAP: kafkaBootstrap(),
      KAFKA_TOPIC_NAME: topic,
      SNEAKPIPE_KAFKA_CLIENT: client,
    });
    const members: { source: KafkaGroupSource; done: Promise<unknown>; owned: Set<number>; handled: number; skipped: () => number }[] = [];
    const join_ = () => {
      const flow = new FlowControl({ highWater: 4_000 });
      // Each member loads through its own positioned sink, as separate processes would.
      const sink = orderEventSink({ warehouse, group });
      const source = kafka.source({
        topic,
        groupId: group,
        paused: flow.paused$,
        sessionTimeoutMs: 10_000,
        resumeFrom: (partitions) => sink.resume(topic, partitions),
      });
      const member = {
        source,
        done: Promise.resolve() as Promise<unknown>,
        owned: new Set<number>(),
        handled: 0,
        skipped: () => sink.skipped,
      };
      member.done = lastValueFrom(
        loadPipeline({ source, codec: orderEventCodec, sink, flow, batch: { maxCount: 1_000, maxWaitMs: 200 } }).pipe(
          tap((b) => {
            member.handled += b.items.length;
            source.partitions.forEach((p) => member.owned.add(p));
          }),
        ),
        { defaultValue: undefined },
      );
      members.push(member);
    };
    const leave = async (i: number) => {
      await members[i]!.source.stop();
      await members[i]!.done;
      await members[i]!.source.close();
    };
    // Each change waits until the newcomer holds partitions, then lets it load a while: a coordinator with Kafka's
    // default group.initial.rebalance.delay.ms (3 s, extended by each join) forms the first generation only then.
    const joined = async (i: number) => {
      for (const until = Date.now() + 60_000; members[i]!.source.partitions.length === 0 && Date.now() < until;) await sleep(100);
      await sleep(2_500);
    };
    let rebalances = 0;
    try {
      await producer.waitFor(/producer started/);
      join_();
      await joined(0);
      (join_(), rebalances++);
      await joined(1);
      (join_(), rebalances++);
      await joined(2);
      (await leave(0), rebalances++);
      await sleep(2_500);
      (await leave(1), rebalances++);
      const started = Date.now();
      const produced = await producer.done;
      // The last member drains the topic.
      for (;;) {
        const [r] = await warehouse.query(`SELECT COUNT(DISTINCT EVENT_ID) AS D FROM ${warehouse.table('STREAMING_ORDERS')}`);
        if (Number(r!.D) >= events || Date.now() - started > 120_000) break;
        await sleep(500);
      }
      await leave(2);
      const [r] = await warehouse.query(`SELECT COUNT(*) AS N, COUNT(DISTINCT EVENT_ID) AS D FROM ${warehouse.table('STREAMING_ORDERS')}`);
      const [keys] = await warehouse.query(
        "SELECT COUNT(*) AS K FROM duckdb_constraints() WHERE table_name = 'STREAMING_ORDERS' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
      );
      const loadedBy = members.map((m) => m.handled - m.skipped());
      // What was measured, printed whether or not the asserts below pass.
      report({
        case: `rebalance (3 join, 2 leave; ${client})`,
        events,
        faults: `${rebalances} membership changes; rows loaded per member ${loadedBy.join('/')}, replays skipped ${members.map((m) => m.skipped()).join('/')}`,
        lost: events - Number(r!.D),
        duplicated: Number(r!.N) - Number(r!.D),
        peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
        recoverSeconds: ((Date.now() - started) / 1000).toFixed(1),
      });
      expect(produced.code, produced.stderr).toBe(0);
      // No key on the table: a record loaded twice would be a second row.
      expect(Number(keys!.K)).toBe(0);
      expect(Number(r!.D)).toBe(events);
      expect(Number(r!.N)).toBe(events);
      // Every member, the two that joined a running group included, was given partitions and loaded rows of its own.
      const seen = `loaded per member: ${loadedBy}; partitions seen per member: ${members.map((m) => [...m.owned].join('+') || 'none')}`;
      for (const i of [0, 1, 2]) {
        expect(members[i]!.owned.size, `member ${i} partitions (${seen})`).toBeGreaterThan(0);
        expect(loadedBy[i], `member ${i} rows loaded (${seen})`).toBeGreaterThan(0);
      }
      expect(loadedBy.reduce((a, b) => a + b, 0)).toBe(events);
    } finally {
      if (producer.child.exitCode === null) producer.child.kill('SIGKILL');
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
