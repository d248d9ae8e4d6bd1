import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SNEAKER_BRANDS } from '@sneakpipe/sneakers';
import { runCli, startCli, type RunningCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import {
  metricNames,
  parseExposition,
  startNodeExporter,
  startPrometheus,
  sumSamples,
  type RunningServer,
} from '@sneakpipe/test-support/prometheus';
import { freePort } from '@sneakpipe/test-support/ports';
import { TcpGate } from '@sneakpipe/test-support/tcp-gate';
import { waitUntil, within } from '@sneakpipe/test-support/wait';

const monitoring = fileURLToPath(new URL('../../../monitoring/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-monitoring-'));

async function metricsPort(cli: RunningCli): Promise<number> {
  return Number((await cli.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
}

async function scrape(port: number) {
  return parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
}

/** Probes until `probe` gives a value; after `timeoutMs`, fails saying what it waited for and the probe's last error. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> =>
  waitUntil(what, probe, { timeoutMs, everyMs: 250 });

/** SIGTERM, then how long the process took to exit and with which code (waiting a minute at most, then saying what it printed). */
async function terminate(cli: RunningCli): Promise<{ code: number | null; ms: number; stdout: string; stderr: string }> {
  const t0 = Date.now();
  cli.child.kill('SIGTERM');
  const done = await within('exit after SIGTERM', 60_000, cli.done, () => cli.stderr().slice(-2000));
  return { code: done.code, ms: Date.now() - t0, stdout: done.stdout, stderr: done.stderr };
}

describe('monitoring config (promtool)', () => {
  it('prometheus.yml and alerts.yml are valid, and every alert passes its firing and not-firing unit tests', () => {
    const run = (...args: string[]) => execFileSync('promtool', args, { cwd: monitoring, encoding: 'utf8' });
    expect(run('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS/);
    expect(run('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: 9 rules found/);
    expect(run('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
    const alerts = (
      parseYaml(readFileSync(join(monitoring, 'alerts.yml'), 'utf8')) as { groups: { rules: { alert: string }[] }[] }
    ).groups[0]!.rules.map((r) => r.alert);
    const tested = readFileSync(join(monitoring, 'alerts.test.yml'), 'utf8');
    for (const alert of alerts)
      expect(tested.match(new RegExp(`alertname: ${alert}\\b`, 'g'))?.length ?? 0, alert).toBeGreaterThanOrEqual(
        alert === 'SneakerDeadLetters' || alert === 'SneakerRunnerDown' ? 1 : 2,
      );
  });
});

describe('runners scraped by a real Prometheus', () => {
  const topic = uniqueTopic('metrics');
  const liveTopic = uniqueTopic('metrics-live');
  let consumer: RunningCli;
  let producer: RunningCli;
  let consumerPort: number;
  let producerPort: number;
  let nodeExporter: RunningServer;

  beforeAll(async () => {
    const env = { KAFKA_BOOTSTRAP: kafkaBootstrap() };
    const produced = await runCli(['produce', '--count', '4000', '--topic', topic, '--metrics-port', '0'], env);
    expect(produced.code, produced.stderr).toBe(0);
    consumer = startCli(
      [
        'consume',
        '--topic',
        topic,
        '--group',
        `g-${topic}`,
        '--warehouse',
        join(dir, 'w.duckdb'),
        '--metrics-port',
        '0',
        '--batch-wait-ms',
        '200',
      ],
      env,
    );
    producer = startCli(['produce', '--rate', '400', '--topic', liveTopic, '--metrics-port', '0'], env);
    [consumerPort, producerPort] = await Promise.all([metricsPort(consumer), metricsPort(producer)]);
    nodeExporter = await startNodeExporter();
  });
  afterAll(async () => {
    await nodeExporter?.stop();
    for (const cli of [consumer, producer]) if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz, and /readyz once connected to the broker and the warehouse', async () => {
    expect((await fetch(`http://127.0.0.1:${consumerPort}/healthz`)).status).toBe(200);
    const ready = await until('consumer ready', async () => {
      const r = await fetch(`http://127.0.0.1:${consumerPort}/readyz`);
      return r.status === 200 ? ((await r.json()) as { checks: Record<string, boolean> }) : undefined;
    });
    expect(ready.checks).toEqual({ broker: true, warehouse: true });
    expect((await fetch(`http://127.0.0.1:${producerPort}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${producerPort}/nope`)).status).toBe(404);
  });

  it("counts exactly what was consumed and loaded, with the original system's names and the added metrics", async () => {
    const { samples, families } = await until('4000 loaded', async () => {
      const s = await scrape(consumerPort);
      return sumSamples(s.samples, 'sneaker_orders_loaded_snowflake_total') === 4000 ? s : undefined;
    });
    expect(sumSamples(samples, 'sneaker_orders_consumed_total')).toBe(4000);
    expect([...samples.keys()].filter((k) => k.startsWith('sneaker_orders_consumed_total{brand=')).length).toBe(8);
    expect(sumSamples(samples, 'sneaker_end_to_end_latency_seconds_count')).toBe(4000);
    expect(sumSamples(samples, 'sneaker_load_batch_size_sum')).toBe(4000);
    expect(sumSamples(samples, 'sneaker_snowflake_load_duration_seconds_count')).toBeGreaterThan(0);
    for (const name of [
      'sneaker_orders_processing_per_minute',
      'sneaker_dead_letters_total',
      'sneaker_consumer_lag',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(sumSamples(samples, 'sneaker_orders_processing_per_minute')).toBe(4000);
    // The lag is read every 10 s: a read from before the last commit still says what was left then, so the gauge
    // must come down to 0 by a later read, not at once.
    const lag = await until(
      'the lag gauge at 0 once everything is loaded and committed',
      async () => {
        const s = await scrape(consumerPort);
        const exported = [...s.samples.keys()].some((k) => k.startsWith('sneaker_consumer_lag{'));
        return exported && sumSamples(s.samples, 'sneaker_consumer_lag') === 0 ? s.samples : undefined;
      },
      30_000,
    );
    expect(sumSamples(lag, 'sneaker_consumer_lag')).toBe(0);
  });

  it('counts sent orders by brand on the producer', async () => {
    const { samples, families } = await until('1000 sent', async () => {
      const s = await scrape(producerPort);
      return sumSamples(s.samples, 'sneaker_orders_sent_total') >= 1000 ? s : undefined;
    });
    const total = sumSamples(samples, 'sneaker_orders_sent_total');
    // Every sample carries a brand label, one per brand of the catalog, and together they make the total.
    const sent = [...samples].filter(([key]) => key === 'sneaker_orders_sent_total' || key.startsWith('sneaker_orders_sent_total{'));
    const byBrand = new Map(sent.map(([key, value]) => [/^sneaker_orders_sent_total\{brand="([^"]+)"\}$/.exec(key)?.[1], value]));
    expect([...byBrand.keys()].sort()).toEqual(SNEAKER_BRANDS.map((b) => b.name).sort());
    for (const [brand, value] of byBrand) expect(value, brand).toBeGreaterThan(0);
    expect([...byBrand.values()].reduce((a, b) => a + b, 0)).toBe(total);
    expect(sumSamples(samples, 'sneaker_orders_per_minute')).toBeGreaterThan(0);
    expect(sumSamples(samples, 'sneaker_orders_per_minute')).toBeLessThanOrEqual(total);
    for (const name of ['sneaker_orders_sent_duration_seconds', 'sneaker_kafka_errors_total']) expect(families.has(name), name).toBe(true);
  });

  it('is scraped by a real Prometheus, whose PromQL returns the loaded count', async () => {
    const prometheus = await startPrometheus(
      {
        'sneakpipe-producer': `127.0.0.1:${producerPort}`,
        'sneakpipe-consumer': `127.0.0.1:${consumerPort}`,
        node: nodeExporter.url.replace('http://', ''),
      },
      join(monitoring, 'alerts.yml'),
    );
    try {
      const loaded = await until('Prometheus has the consumer', async () => {
        const r = await prometheus.query('sum(sneaker_orders_loaded_snowflake_total)');
        return r[0] ? Number(r[0].value[1]) : undefined;
      });
      expect(loaded).toBe(4000);
      const sent = await until('Prometheus has the producer', async () => {
        const r = await prometheus.query('sum(sneaker_orders_sent_total)');
        return r[0] ? Number(r[0].value[1]) : undefined;
      });
      expect(sent).toBeGreaterThan(0);
      const up = await until('every target scraped', async () => {
        const r = await prometheus.query('up');
        return r.length === 3 ? r : undefined;
      });
      expect(up.map((r) => [r.metric.job, r.value[1]]).sort()).toEqual([
        ['node', '1'],
        ['sneakpipe-consumer', '1'],
        ['sneakpipe-producer', '1'],
      ]);
    } finally {
      await prometheus.stop();
    }
  });

  it('exports every metric that the dashboard and the alert rules read (parsed PromQL vs live scrapes)', async () => {
    const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana/dashboards/sneaker-pipeline.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const alerts = parseYaml(readFileSync(join(monitoring, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const expressions = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => [`panel "${p.title}"`, t.expr] as const)),
      ...alerts.groups.flatMap((g) => g.rules.map((r) => [`alert ${r.alert}`, r.expr] as const)),
    ];
    const exported = new Set<string>();
    for (const port of [producerPort, consumerPort]) {
      const { families } = await scrape(port);
      for (const family of families) for (const suffix of ['', '_bucket', '_sum', '_count']) exported.add(family + suffix);
    }
    const nodeFamilies = parseExposition(await (await fetch(`${nodeExporter.url}/metrics`)).text()).families;
    const prometheusOwn = new Set(['up']);
    const missing: string[] = [];
    for (const [where, expr] of expressions) {
      for (const name of metricNames(expr)) {
        if (!exported.has(name) && !nodeFamilies.has(name) && !prometheusOwn.has(name)) missing.push(`${where}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(expressions.length).toBeGreaterThan(20);
  });

  it('stops within the bound on SIGTERM, exit code 0, having committed what it loaded', async () => {
    const [c, p] = await Promise.all([terminate(consumer), terminate(producer)]);
    // The bound is the runners' own (--shutdown-timeout-ms, default 15 s): past it a runner gives up its in-flight work,
    // says so and exits 1. Exit code 0 is a stop that finished its work within it, however busy the machine.
    for (const [name, run] of [
      ['consumer', c],
      ['producer', p],
    ] as const) {
      expect(run.code, `${name}: exit code after ${run.ms} ms\n${run.stderr.slice(-1500)}`).toBe(0);
      expect(run.stderr, name).not.toMatch(/did not finish in time/);
    }
    const sent = Number(/sent ([\d,]+) events/.exec(p.stdout)![1]!.replaceAll(',', ''));
    const admin = testKafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(liveTopic);
    const committed = await admin.fetchOffsets({ groupId: `g-${topic}`, topics: [topic] });
    await admin.disconnect();
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(sent);
    expect(committed[0]!.partitions.reduce((n, o) => n + Number(o.offset), 0)).toBe(4000);
  });
});

describe('/readyz follows the broker', () => {
  it('reports not ready while Kafka is unreachable and ready once it is', async () => {
    const [host, port] = kafkaBootstrap().split(':') as [string, string];
    const gate = new TcpGate(await freePort(), { host, port: Number(port) });
    const consumer = startCli(
      [
        'consume',
        '--brokers',
        `127.0.0.1:${gate.port}`,
        '--topic',
        uniqueTopic('gate'),
        '--warehouse',
        join(mkdtempSync(join(tmpdir(), 'sneakpipe-gate-')), 'w.duckdb'),
        '--metrics-port',
        '0',
      ],
      {},
    );
    try {
      const metrics = await metricsPort(consumer);
      // It has tried the broker and failed.
      await consumer.waitFor(/connecting to Kafka failed, retrying/, 60_000);
      const before = await fetch(`http://127.0.0.1:${metrics}/readyz`);
      expect(before.status).toBe(503);
      expect(((await before.json()) as { checks: Record<string, boolean> }).checks.broker).toBe(false);
      await gate.open();
      await until(
        'ready after the broker appears',
        async () => ((await fetch(`http://127.0.0.1:${metrics}/readyz`)).status === 200 ? true : undefined),
        120_000,
      ).catch((e) => {
        throw new Error(`${e.message}\n${consumer.stderr().slice(-3000)}`);
      });
      const stopped = await terminate(consumer);
      expect(stopped.code, consumer.stderr().slice(-3000)).toBe(0);
    } finally {
      if (consumer.child.exitCode === null) consumer.child.kill('SIGKILL');
      await gate.close();
    }
  }, 150_000);
});
