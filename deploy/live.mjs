// The live deployment test (run by deploy/test.sh, after setup.sh):
// docker-compose.yml + deploy/compose.test.yml under podman-compose, in
// a project of its own (its own network and volumes), host ports on loopback.
//
//   producer -> Kafka -> consumer -> warehouse rows; Kafka from the host (HOST
//   listener); /healthz and /readyz; Prometheus `up == 1` for every target
//   (consumers found by DNS); a report written by the consumer from the same
//   warehouse; SIGTERM + start of the consumer loses and duplicates nothing;
//   `down` + `up` with the volumes kept keeps the rows.
//
// Ends with "deploy: N passed, N failed". Cleans up in test.sh's trap.
// SNEAKPIPE_DEPLOY_BREAK=drop-warehouse removes the warehouse volume between
// `down` and `up`, to watch the test fail.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import kafkajs from 'kafkajs';

const root = fileURLToPath(new URL('../', import.meta.url));
const project = process.env.DEPLOY_PROJECT ?? 'sneakpipe-deploy-test';
const composeBin = join(root, '.infra/deploy/venv/bin/podman-compose');
const env = process.env;
const ports = {
  kafka: Number(env.KAFKA_HOST_PORT),
  producer: Number(env.DEPLOY_PRODUCER_PORT),
  consumer: Number(env.DEPLOY_CONSUMER_PORT),
  prometheus: Number(env.DEPLOY_PROMETHEUS_PORT),
};
const TOPIC = 'sneaker-orders';
const GROUP = 'sneakpipe-loader';
const started = Date.now();

/**
 * The time zone of the consumer's reports in this test. The consumer's daily
 * report covers the 24 h ending at 08:00 local time on the day it runs: in
 * UTC, after 08:00 that window has none of this run's orders. In a
 * fixed-offset zone where it is now about 02:00, the window holds the whole
 * run (which ends hours before 08:00 there), whatever the hour of the day.
 */
function zoneWhereItIsTwoAm(now) {
  const ahead = (((2 - new Date(now).getUTCHours()) % 24) + 24) % 24;
  const offset = ahead > 14 ? ahead - 24 : ahead; // Etc/GMT zones span UTC-12 .. UTC+14
  // POSIX signs: Etc/GMT-3 is three hours ahead of UTC.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
const reportZone = zoneWhereItIsTwoAm(started);
env.DEPLOY_REPORT_TIMEZONE = reportZone; // deploy/compose.test.yml passes it to the consumer

let passed = 0;
let failed = 0;
/** Each check as vitest's JSON reporter writes a test, for the test command's summary (DEPLOY_RESULTS_JSON). */
const results = [];
const log = (message) => console.log(`[deploy ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  results.push({ ancestorTitles: ['live deployment (compose under podman)'], title: name, status: ok ? 'passed' : 'failed' });
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what, fn, timeoutMs, everyMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(everyMs);
  }
  log(`gave up waiting for ${what} after ${timeoutMs / 1000} s${last ? `: ${last.message ?? last}` : ''}`);
  return undefined;
}

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
const compose = (...args) =>
  run(composeBin, ['-p', project, '-f', 'docker-compose.yml', '-f', 'deploy/compose.test.yml', '-f', '.infra/deploy/compose.ports.yml', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
const podman = (...args) => run('podman', args).trim();
const containerOf = (service) =>
  podman('ps', '-a', '--filter', `label=io.podman.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${service}`, '--format', '{{.Names}}')
    .split('\n')
    .filter(Boolean)[0];
const volumePath = (name) => podman('volume', 'inspect', `${project}_${name}`, '--format', '{{.Mountpoint}}');

async function http(port, path) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}
const ready = (port) => http(port, '/readyz').then((r) => r.status === 200);

const kafka = new kafkajs.Kafka({
  clientId: 'deploy-test',
  brokers: [`127.0.0.1:${ports.kafka}`],
  logLevel: kafkajs.logLevel.NOTHING,
  retry: { retries: 2 },
});
async function withAdmin(fn) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
/** Records in the topic (sum of end offsets), read from the host through the HOST listener. */
const topicRecords = () => withAdmin(async (a) => (await a.fetchTopicOffsets(TOPIC)).reduce((n, p) => n + Number(p.high), 0));
/** What the group has not committed yet. */
const groupLag = () =>
  withAdmin(async (a) => {
    const ends = await a.fetchTopicOffsets(TOPIC);
    const [committed] = await a.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return ends.reduce((n, p) => {
      const c = Number(committed.partitions.find((x) => x.partition === p.partition)?.offset ?? -1);
      return n + Number(p.high) - Math.max(c, 0);
    }, 0);
  });

/** Rows, distinct EVENT_IDs and dead letters in the DuckDB file (the consumer must be stopped: one process per file). */
async function warehouseCounts() {
  const file = join(volumePath('warehouse'), 'warehouse.duckdb');
  if (!existsSync(file)) return { rows: 0, distinct: 0, deadLetters: 0, file: 'missing' };
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const read = async (sql) => (await connection.runAndReadAll(sql)).getRowObjects()[0];
    const orders = await read('SELECT count(*)::INTEGER AS rows, count(DISTINCT EVENT_ID)::INTEGER AS "distinct" FROM STG.STREAMING_ORDERS');
    const dead = await read('SELECT count(*)::INTEGER AS n FROM STG.DEAD_LETTERS');
    return { rows: orders.rows, distinct: orders.distinct, deadLetters: dead.n };
  } finally {
    connection.closeSync();
    instance.closeSync?.();
  }
}

/** Stops a service's container with SIGTERM (podman stop) and returns its exit code. */
function stopWithSigterm(service) {
  const name = containerOf(service);
  podman('stop', '-t', '30', name);
  return Number(podman('inspect', name, '--format', '{{.State.ExitCode}}'));
}

async function servicesReady(label) {
  for (const [service, port] of [
    ['producer', ports.producer],
    ['consumer', ports.consumer],
  ]) {
    const ok = await waitFor(`${service} /readyz`, () => ready(port), 120_000);
    const health = await http(port, '/healthz').catch((e) => ({ status: String(e) }));
    check(`${label}: ${service} /healthz 200 and /readyz 200 (host port ${port})`, ok && health.status === 200, `healthz ${health.status}`);
  }
  const prom = await waitFor('prometheus /-/ready', () => http(ports.prometheus, '/-/ready').then((r) => r.status === 200), 60_000);
  check(`${label}: Prometheus /-/ready`, Boolean(prom));
}

async function prometheusTargets() {
  const body = JSON.parse((await http(ports.prometheus, '/api/v1/targets?state=active')).body);
  return body.data.activeTargets.map((t) => ({ job: t.labels.job, instance: t.labels.instance, health: t.health, error: t.lastError }));
}

async function main() {
  log(`project ${project}; host ports ${JSON.stringify(ports)}; reports in ${reportZone}`);
  compose('up', '-d');

  // 1. The stack starts; every service answers; Kafka is reachable from the host.
  await servicesReady('first start');
  const someRecords = await waitFor('records in the topic (from the host, HOST listener)', async () => (await topicRecords()) > 0, 60_000);
  check(`Kafka reachable from the host at 127.0.0.1:${ports.kafka} (advertised HOST listener), producer writing`, Boolean(someRecords));

  // 2. Prometheus scrapes every target: producer, each consumer (DNS), node-exporter.
  const targets = await waitFor(
    'every Prometheus target up',
    async () => {
      const t = await prometheusTargets();
      const jobs = new Set(t.map((x) => x.job));
      return ['sneakpipe-producer', 'sneakpipe-consumer', 'node'].every((j) => jobs.has(j)) && t.every((x) => x.health === 'up') ? t : undefined;
    },
    90_000,
    3000,
  );
  const seen = targets ?? (await prometheusTargets().catch(() => []));
  check(
    'Prometheus: up == 1 for every target (producer, consumer via dns_sd_configs, node-exporter)',
    Boolean(targets),
    seen.map((t) => `${t.job} ${t.instance} ${t.health}${t.error ? ` (${t.error})` : ''}`).join('; '),
  );
  const consumerIp = podman('inspect', containerOf('consumer'), '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}');
  check(
    'the consumer target is the container found by DNS (its address, port 8002)',
    seen.some((t) => t.job === 'sneakpipe-consumer' && t.instance === `${consumerIp}:8002`),
    `consumer at ${consumerIp}`,
  );
  check('no scheduler target without --profile scheduler', !seen.some((t) => t.job === 'sneakpipe-scheduler'));
  const up = JSON.parse((await http(ports.prometheus, '/api/v1/query?query=up')).body).data.result;
  check('query `up`: every series is 1', up.length >= 3 && up.every((r) => r.value[1] === '1'), up.map((r) => `${r.metric.job}=${r.value[1]}`).join(', '));

  // 3. Reports: the consumer runs the schedule from the warehouse it holds (every minute in this test), in a zone
  //    where today's daily window holds this run: a report of the rows the consumer loaded has orders.
  const reportsDir = volumePath('reports');
  let written;
  const report = await waitFor(
    'a daily report with orders, written by the consumer',
    () => {
      const file = readdirSync(reportsDir).find((f) => /^daily-\d{4}-\d{2}-\d{2}\.json$/.test(f) && statSync(join(reportsDir, f)).mtimeMs >= started - 1000);
      if (!file || !existsSync(join(reportsDir, file.replace('.json', '.html')))) return undefined;
      written = { file, ...JSON.parse(readFileSync(join(reportsDir, file), 'utf8')) };
      return written.kpis.orders > 0 ? written : undefined;
    },
    150_000,
    2000,
  );
  check('a daily report (JSON + HTML) written into the reports volume by the consumer', Boolean(written), written?.file ?? readdirSync(reportsDir).join(', '));
  if (written) {
    const holdsRun = Date.parse(written.window.start) <= started && started < Date.parse(written.window.end);
    check(
      'the report reads the same warehouse: its window holds this run, and it counts orders > 0',
      Boolean(report) && holdsRun,
      `${written.kpis.orders} orders in ${written.window.start} .. ${written.window.end} (${written.window.timeZone})`,
    );
    const metrics = (await http(ports.consumer, '/metrics')).body;
    check('report KPI gauges on the consumer /metrics', /sneaker_report_orders\{report="daily"\}/.test(metrics));
  }

  // 4. SIGTERM one consumer while the producer keeps writing, start it again.
  const code = stopWithSigterm('consumer');
  check('consumer stopped by SIGTERM exits 0 (graceful: batch finished, offsets committed)', code === 0, `exit ${code}`);
  await sleep(5000);
  podman('start', containerOf('consumer'));
  check('consumer ready again after start', Boolean(await waitFor('consumer /readyz after restart', () => ready(ports.consumer), 120_000)));
  await sleep(5000);

  // 5. Stop producing; everything in the topic lands exactly once.
  const producerCode = stopWithSigterm('producer');
  check('producer stopped by SIGTERM exits 0', producerCode === 0, `exit ${producerCode}`);
  const produced = await topicRecords();
  const drained = await waitFor('consumer lag 0', async () => (await groupLag()) === 0, 120_000, 2000);
  check('consumer group caught up (lag 0)', Boolean(drained), `${produced} records in the topic`);
  const drainedCode = stopWithSigterm('consumer'); // releases the DuckDB file (one process at a time)
  check('consumer stopped by SIGTERM after catching up exits 0', drainedCode === 0, `exit ${drainedCode}`);
  const first = await warehouseCounts();
  check(
    'warehouse: rows + dead letters == records produced, distinct EVENT_IDs == rows (nothing lost, nothing twice)',
    produced > 0 && first.rows + first.deadLetters === produced && first.distinct === first.rows,
    `produced ${produced}, rows ${first.rows}, distinct ${first.distinct}, dead letters ${first.deadLetters}`,
  );

  // 6. down, up with the volumes kept: the rows and the topic are still there.
  compose('down');
  if (env.SNEAKPIPE_DEPLOY_BREAK === 'drop-warehouse') {
    log('SNEAKPIPE_DEPLOY_BREAK=drop-warehouse: removing the warehouse volume');
    podman('volume', 'rm', `${project}_warehouse`);
  }
  compose('up', '-d', 'kafka', 'consumer');
  const back = await waitFor('consumer /readyz after down + up', () => ready(ports.consumer), 120_000);
  check('after down + up: consumer ready', Boolean(back));
  check('after down + up: the topic kept its records (Kafka volume)', (await topicRecords()) === produced);
  const caughtUp = await waitFor('consumer lag 0 after up', async () => (await groupLag()) === 0, 60_000, 2000);
  check('after down + up: consumer group lag 0', Boolean(caughtUp));
  const lastCode = stopWithSigterm('consumer');
  check('after down + up: consumer stopped by SIGTERM exits 0', lastCode === 0, `exit ${lastCode}`);
  const second = await warehouseCounts();
  check(
    'after down + up: the warehouse still has every row, none twice',
    second.rows === first.rows && second.distinct === first.distinct && second.deadLetters === first.deadLetters,
    `rows ${second.rows}, distinct ${second.distinct}, dead letters ${second.deadLetters}`,
  );
}

try {
  await main();
} catch (error) {
  check('the live test ran to its end', false, error?.stack ?? String(error));
}
log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`deploy: ${passed} passed, ${failed} failed`);
if (env.DEPLOY_RESULTS_JSON) {
  const file = { name: 'deploy/live.mjs', status: failed === 0 ? 'passed' : 'failed', assertionResults: results };
  writeFileSync(env.DEPLOY_RESULTS_JSON, JSON.stringify({ testResults: [file] }));
}
process.exit(failed === 0 ? 0 : 1);
