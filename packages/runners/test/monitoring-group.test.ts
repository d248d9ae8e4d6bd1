import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, startCli, type RunningCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { parseExposition, startPrometheus } from '@sneakpipe/test-support/prometheus';

// Several consumers of one group, scraped by one real Prometheus: the lag the
// alert and the dashboard show must be the group's lag as the broker has it,
// not that lag once per consumer.

const monitoring = fileURLToPath(new URL('../../../monitoring/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-group-lag-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EVENTS = 3000;

/** The lag queries as the monitoring files have them: the alert's left operand (before its threshold) and the dashboard's total. */
function lagQueries(): { alert: string; dashboard: string } {
  const alerts = parseYaml(readFileSync(join(monitoring, 'alerts.yml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const rule = alerts.groups.flatMap((g) => g.rules).find((r) => r.alert === 'SneakerConsumerLagGrowing')!;
  const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana/dashboards/sneaker-pipeline.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string; legendFormat?: string }[] }[];
  };
  const total = dashboard.panels.find((p) => p.title === 'Consumer Lag')!.targets.find((t) => t.legendFormat === '{{topic}} total')!;
  return { alert: rule.expr.split(/\s>\s*1000\b/)[0]!.trim(), dashboard: total.expr };
}

/** The group's lag per partition as the broker has it (end offset minus committed offset, or minus the log start where nothing is committed): kafka-consumer-groups' LAG column. */
async function brokerLag(group: string, topic: string): Promise<Map<number, number>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    ]);
    const committedBy = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    return new Map(
      ends.map((e) => {
        const c = committedBy.get(e.partition);
        return [e.partition, Number(e.high) - (c === undefined || c < 0 ? Number(e.low) : c)];
      }),
    );
  } finally {
    await admin.disconnect();
  }
}

/** The partitions a consumer exports `sneaker_consumer_lag` for, read from its own /metrics. */
async function exportedPartitions(port: number): Promise<number[]> {
  const { samples } = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  return [...samples.keys()]
    .map((key) => /^sneaker_consumer_lag\{.*partition="(\d+)"/.exec(key)?.[1])
    .filter((p): p is string => p !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Polls `probe` until it returns a value; on timeout the error shows the last thing it saw. */
async function until<T>(what: string, probe: () => Promise<{ done: T } | { seen: unknown }>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  for (;;) {
    const result = await probe().catch((error: unknown) => ({ seen: String(error) }));
    if ('done' in result) return result.done;
    seen = result.seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(seen)}`);
    await sleep(500);
  }
}

describe('a consumer group scraped by a real Prometheus', () => {
  const topic = uniqueTopic('group-lag');
  const group = `g-${topic}`;
  const consumers: RunningCli[] = [];
  afterAll(() => {
    for (const cli of consumers) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A consumer that reads but never loads during the test (its batch fills
   * only at a million records or after 10 min), so nothing is committed and
   * the backlog stays as the group's lag.
   */
  async function startConsumer(name: string): Promise<{ cli: RunningCli; port: number }> {
    const cli = startCli(
      [
        'consume',
        '--topic',
        topic,
        '--group',
        group,
        '--warehouse',
        join(dir, `${name}.duckdb`),
        '--metrics-port',
        '0',
        '--batch-size',
        '1000000',
        '--batch-wait-ms',
        '600000',
      ],
      { KAFKA_BOOTSTRAP: kafkaBootstrap() },
    );
    consumers.push(cli);
    const port = Number((await cli.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
    return { cli, port };
  }

  it("the alert's and the dashboard's lag is the group's lag from the broker, with two members and after one dies", async () => {
    const produced = await runCli(['produce', '--count', String(EVENTS), '--topic', topic, '--metrics-port', '0'], {
      KAFKA_BOOTSTRAP: kafkaBootstrap(),
    });
    expect(produced.code, produced.stderr).toBe(0);
    const before = await brokerLag(group, topic);
    expect([...before.keys()].sort()).toEqual([0, 1, 2]);
    for (const [partition, lag] of before) expect(lag, `partition ${partition}`).toBeGreaterThan(0);

    // A alone owns all three partitions and exports all three.
    const a = await startConsumer('a');
    await until(
      'consumer A to export all 3 partitions',
      async () => {
        const mine = await exportedPartitions(a.port);
        return mine.join() === '0,1,2' ? { done: true } : { seen: mine };
      },
      45_000,
    );

    // B joins: the partitions are shared, and A stops exporting the ones it gave away.
    const b = await startConsumer('b');
    const queries = lagQueries();
    const prometheus = await startPrometheus({ 'sneakpipe-consumer': [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`] });
    try {
      /** What Prometheus says about the topic's lag, next to the broker's figure. */
      const view = async () => {
        const value = async (expr: string) => {
          const rows = (await prometheus.query(expr)).filter((r) => r.metric.topic === topic);
          return rows.length === 1 ? Number(rows[0]!.value[1]) : rows.map((r) => r.value[1]);
        };
        const truth = [...(await brokerLag(group, topic)).values()].reduce((s, n) => s + n, 0);
        const exporters = Object.fromEntries(
          (await prometheus.query(`count by (partition) (sneaker_consumer_lag{topic="${topic}"})`)).map((r) => [
            r.metric.partition,
            Number(r.value[1]),
          ]),
        );
        return {
          truth,
          alert: await value(queries.alert),
          dashboard: await value(queries.dashboard),
          // The members' series summed as they are: equal to the truth only if each partition is exported once.
          summedOverMembers: await value(`sum by (topic) (sneaker_consumer_lag)`),
          exporters,
        };
      };
      type View = Awaited<ReturnType<typeof view>>;
      const consistent = (v: View) =>
        v.alert === v.truth &&
        v.dashboard === v.truth &&
        v.summedOverMembers === v.truth &&
        JSON.stringify(v.exporters) === JSON.stringify({ '0': 1, '1': 1, '2': 1 });
      /** Every distinct state Prometheus went through on the way (a rebalance: a partition exported twice, or by nobody). */
      const states = new Set<string>();
      const settled = (what: string, timeoutMs: number) =>
        until<View>(
          what,
          async () => {
            const v = await view();
            states.add(JSON.stringify(v));
            return consistent(v) ? { done: v } : { seen: v };
          },
          timeoutMs,
        );

      await until(
        'B to export its share',
        async () => {
          const ofB = await exportedPartitions(b.port);
          return ofB.length > 0 ? { done: true } : { seen: ofB };
        },
        45_000,
      );
      const twoMembers = await settled('Prometheus to show the group lag with both members scraped', 45_000);
      // Each member's own /metrics, once a handover still under way is done: the exported partitions follow the
      // assignment within 0.5 s, and Prometheus may have settled on a scrape taken just before the last one.
      const [ofA, ofB] = await until<[number[], number[]]>(
        'the members to export disjoint shares of the 3 partitions',
        async () => {
          const shares = await Promise.all([exportedPartitions(a.port), exportedPartitions(b.port)]);
          return [...shares[0], ...shares[1]].sort().join() === '0,1,2' ? { done: shares } : { seen: shares };
        },
        10_000,
      );
      expect(ofA.length).toBeGreaterThan(0);
      expect(ofB.length).toBeGreaterThan(0);
      expect([...ofA, ...ofB].sort()).toEqual([0, 1, 2]);
      expect(twoMembers.truth).toBe(EVENTS); // nothing loaded: the whole backlog is lag
      const up = await prometheus.query('up{job="sneakpipe-consumer"}');
      expect(up.map((r) => r.value[1])).toEqual(['1', '1']);

      // A dies without leaving the group: after the session timeout B owns everything,
      // and A's series go stale with its target, so nothing is counted twice or lost.
      a.cli.child.kill('SIGKILL');
      const killedAt = Date.now();
      await until(
        'B to export all 3 partitions',
        async () => {
          const mine = await exportedPartitions(b.port);
          return mine.join() === '0,1,2' ? { done: true } : { seen: mine };
        },
        60_000,
      );
      const takeoverMs = Date.now() - killedAt;
      const oneMember = await settled('Prometheus to show the group lag from B alone', 30_000);
      expect(oneMember.truth).toBe(EVENTS);
      const upAfter = await prometheus.query('up{job="sneakpipe-consumer"}');
      expect(Object.fromEntries(upAfter.map((r) => [r.metric.instance, r.value[1]]))).toEqual({
        [`127.0.0.1:${a.port}`]: '0',
        [`127.0.0.1:${b.port}`]: '1',
      });
      console.log(
        `group lag: broker ${twoMembers.truth}; Prometheus (alert query) ${twoMembers.alert} with A owning [${ofA}] and B [${ofB}], ${oneMember.alert} from B alone (B reported A's partitions ${takeoverMs} ms after A was killed); states seen:\n${[...states].join('\n')}`,
      );
    } finally {
      await prometheus.stop();
    }
  }, 240_000);
});
