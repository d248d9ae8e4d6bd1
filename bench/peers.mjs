// sneakpipe against the tools a data engineer would pick instead, Kafka → DuckDB on the same broker, the same
// events and the same machine: `sneakpipe consume` (the bin as users start it, default settings) next to
// bytewax 0.21 with bytewax-duckdb's sink (the flow of its README), quixstreams 3.28 with a custom BatchingSink
// (the pattern of its docs) and a plain confluent-kafka 2.12 consumer (batches → json.loads → Arrow → INSERT →
// commit). The peers are pinned in bench/peers/requirements.txt and installed into .infra/peers/venv
// (bench/peers/install.sh; again only when the pins change).
//
// N events are produced once, by `sneakpipe produce`, into a fresh 3-partition topic; each tool then drains it
// from the beginning with a fresh consumer group into a fresh DuckDB file and exits by itself, in interleaved
// rounds (sneakpipe, bytewax, quix, plain, sneakpipe, …), each under GNU time for its peak RSS. A run's rate is
// events / (last row committed − launch): startup and joining the group count, the wait before exiting does not.
// "Last row committed" is the arrival of the last `committed <rows>` line a peer prints after each DuckDB insert,
// and for sneakpipe of its last "batch loaded" log line (logged at debug level only: the one setting changed).
// Each DuckDB file is then checked: count(*) = count(DISTINCT event id) = N, or the bench exits 1.
// Needs the broker (npm run infra:up) and python3 (3.11) for the venv. Reproduce:
//   npm run build && npm run infra:up && node bench/peers.mjs [--events 1000000] [--runs 2] [--only sneakpipe,plain]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, fmt, intArg, kafkaBootstrap, machine, median } from './lib.mjs';

const events = intArg('events', 1_000_000);
const runs = intArg('runs', 2);
const onlyAt = process.argv.indexOf('--only');
const root = new URL('..', import.meta.url).pathname;
const peersDir = `${root}bench/peers`;
const python = `${root}.infra/peers/venv/bin/python`;
const bootstrap = kafkaBootstrap();
/** sneakpipe's --exit-when-idle: it exits this long after its last record (not counted in its rate). */
const IDLE_MS = 5_000;
/** A run that has not exited by then is stopped and fails. */
const DEADLINE_MS = 120_000 + events / 2;
const mib = (kib) => kib / 1024;

const TOOLS = {
  sneakpipe: {
    guarantee: 'exactly once by positions',
    // JSON logs on stderr; "batch loaded" (one line per committed batch, its `records`) is a debug line.
    command: ({ topic, group, db }) => [
      process.execPath,
      [
        ...BIN_NODE_FLAGS,
        SNEAKPIPE_BIN,
        '--log-format',
        'json',
        '--log-level',
        'debug',
        'consume',
        '--brokers',
        bootstrap,
        '--topic',
        topic,
        '--group',
        group,
        '--warehouse',
        db,
        '--exit-when-idle',
        String(IDLE_MS),
        '--metrics-port',
        '0',
      ],
    ],
    committed: (line, stream) => (stream === 'stderr' && line.includes('"msg":"batch loaded"') ? JSON.parse(line).records : undefined),
    joined: (line) => line.includes('"msg":"joined consumer group"'),
    table: 'STREAMING_ORDERS',
    id: 'EVENT_ID',
  },
  bytewax: {
    guarantee: 'none across restarts (no group, sink without recovery)',
    command: ({ topic, db }) => [
      python,
      ['-m', 'bytewax.run', `${peersDir}/bytewax_flow.py:flow`],
      { BROKERS: bootstrap, TOPIC: topic, DUCKDB: db },
    ],
  },
  quix: {
    guarantee: 'at least once',
    command: ({ topic, group, db }) => [python, [`${peersDir}/quix_app.py`, bootstrap, topic, group, db, String(events)]],
  },
  plain: {
    guarantee: 'at least once',
    command: ({ topic, group, db }) => [python, [`${peersDir}/plain_consumer.py`, bootstrap, topic, group, db]],
  },
};
const PEER_DEFAULTS = {
  committed: (line, stream) => (stream === 'stdout' ? Number(/^committed (\d+)$/.exec(line)?.[1] ?? NaN) || undefined : undefined),
  table: 'orders',
  id: 'event_id',
};
const names = onlyAt >= 0 ? process.argv[onlyAt + 1].split(',') : Object.keys(TOOLS);
for (const name of names) if (!TOOLS[name]) throw new Error(`--only: unknown tool ${name} (one of ${Object.keys(TOOLS).join(', ')})`);

/** The process group of the run in progress: stopped with the bench (it does not get the terminal's Ctrl-C). */
let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) process.kill(-running, 'SIGKILL');
    process.exit(1);
  });
}

/** Runs one tool under GNU time until it exits by itself: commits (ms after launch, rows), exit, peak RSS, CPU. */
async function runTool(name, { topic, group, dir }) {
  const tool = { ...PEER_DEFAULTS, ...TOOLS[name] };
  const db = join(dir, `${name}.duckdb`);
  const timeFile = join(dir, `${name}.time`);
  const [file, args, env = {}] = tool.command({ topic, group, db });
  const launched = Date.now();
  // Its own process group, so a run past its deadline is stopped with its children.
  const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, file, ...args], {
    cwd: dir, // quixstreams keeps its state directory in the working directory
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env }, // no __pycache__ in bench/peers
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const commits = [];
  const tail = [];
  let joinedAt;
  for (const stream of ['stdout', 'stderr']) {
    createInterface({ input: child[stream] }).on('line', (line) => {
      const at = Date.now() - launched;
      const rows = tool.committed(line, stream);
      if (rows !== undefined) commits.push({ at, rows });
      if (joinedAt === undefined && tool.joined?.(line)) joinedAt = at;
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
  }
  running = child.pid;
  const deadline = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), DEADLINE_MS);
  const [code, signal] = await new Promise((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(deadline);
  running = undefined;
  const exitedAt = Date.now() - launched;
  const time = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
  const field = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(time)?.[1]);
  const failed = code !== 0 ? `exited ${code ?? signal}${exitedAt >= DEADLINE_MS ? ` (stopped after ${DEADLINE_MS / 1000} s)` : ''}` : '';
  return {
    name,
    db,
    failed,
    tail,
    commits,
    joinedAt,
    exitedAt,
    peakRssMib: mib(field('Maximum resident set size \\(kbytes\\)')),
    cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
    command: [file, ...args].join(' '),
  };
}

/** count(*) and count(DISTINCT id) of the tool's table in its DuckDB file. */
async function countRows(name, db) {
  const { table, id } = { ...PEER_DEFAULTS, ...TOOLS[name] };
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const schema = (
      await connection.runAndReadAll(`SELECT table_schema FROM information_schema.tables WHERE table_name = '${table}' LIMIT 1`)
    ).getRows()[0]?.[0];
    if (schema === undefined) return { rows: 0, distinct: 0 };
    const [rows, distinct] = (
      await connection.runAndReadAll(`SELECT count(*), count(DISTINCT ${id}) FROM "${schema}".${table}`)
    ).getRows()[0];
    return { rows: Number(rows), distinct: Number(distinct) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** What the venv holds, as `name version` (read from the packages' metadata). */
function peerVersions() {
  const script =
    'import sys, importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in sys.argv[1:]) + f"; Python {sys.version.split()[0]}")';
  const packages = ['bytewax', 'bytewax-duckdb', 'quixstreams', 'confluent-kafka', 'duckdb', 'pyarrow'];
  return execFileSync(python, ['-c', script, ...packages], { encoding: 'utf8' }).trim();
}

const range = (xs, show) => {
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  return show(lo) === show(hi) ? show(lo) : `${show(lo)}–${show(hi)}`;
};

// 1. The peers, at their pins.
const installStarted = Date.now();
execFileSync('bash', [`${peersDir}/install.sh`], { stdio: ['ignore', 'inherit', 'inherit'] });
const installSeconds = (Date.now() - installStarted) / 1000;

console.log(`# Peers: sneakpipe consume vs bytewax, quixstreams and plain confluent-kafka, ${fmt(events)} events Kafka → DuckDB`);
const kafkaVersion = /<kafka.version>(.+)<\/kafka.version>/.exec(readFileSync(`${root}infra/kafka/pom.xml`, 'utf8'))[1];
console.log(`# ${machine()}; broker Apache Kafka ${kafkaVersion} (KRaft, single node) at ${bootstrap}`);
console.log(`# peers: ${peerVersions()} (venv ready in ${installSeconds.toFixed(1)} s)`);
console.log(`# reproduce: node bench/peers.mjs --events ${events} --runs ${runs}${onlyAt >= 0 ? ` --only ${names.join(',')}` : ''}`);

// 2. The events, once, with the project's producer.
const stamp = Date.now();
const topic = `bench-peers-${stamp}`;
execFileSync(
  process.execPath,
  [
    SNEAKPIPE_BIN,
    'produce',
    '--brokers',
    bootstrap,
    '--topic',
    topic,
    '--partitions',
    '3',
    '--count',
    String(events),
    '--metrics-port',
    '0',
  ],
  {
    env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
console.log(`# backlog: ${fmt(events)} events in ${topic} (3 partitions)`);

// 3–5. Interleaved rounds, each run verified.
const results = Object.fromEntries(names.map((n) => [n, []]));
const failures = [];
try {
  for (let round = 1; round <= runs; round++) {
    for (const name of names) {
      const dir = mkdtempSync(join(tmpdir(), `sneakpipe-peers-${name}-`));
      try {
        const r = await runTool(name, { topic, group: `bench-peers-${name}-${stamp}-${round}`, dir });
        if (round === 1 && name === 'sneakpipe') console.log(`# sneakpipe: ${r.command.replace(dir, '$TMP')}`);
        const committed = r.commits.reduce((sum, c) => sum + c.rows, 0);
        const counted = r.failed ? undefined : await countRows(name, r.db);
        const problem =
          r.failed ||
          (r.commits.length === 0 && 'committed nothing') ||
          (counted.rows !== events || counted.distinct !== events
            ? `count(*) ${fmt(counted.rows)}, distinct ids ${fmt(counted.distinct)}`
            : '');
        const last = r.commits.at(-1)?.at;
        const rate = last ? events / (last / 1000) : 0;
        console.log(
          `run ${round} ${name.padEnd(9)} ${problem ? `FAILED (${problem})` : `${fmt(rate)} rows/s`}: ${fmt(committed)} rows in ${r.commits.length} commit${r.commits.length === 1 ? '' : 's'}, ` +
            `${r.joinedAt === undefined ? '' : `joined the group ${(r.joinedAt / 1000).toFixed(1)} s, `}first ${((r.commits[0]?.at ?? NaN) / 1000).toFixed(1)} s, last ${((last ?? NaN) / 1000).toFixed(1)} s, exit ${(r.exitedAt / 1000).toFixed(1)} s after launch; ` +
            `CPU ${r.cpuSeconds.toFixed(1)} s; peak RSS ${r.peakRssMib.toFixed(0)} MiB`,
        );
        if (problem) {
          failures.push(`${name} run ${round}: ${problem}`);
          console.log(r.tail.map((l) => `    ${l}`).join('\n'));
        } else results[name].push({ rate, rss: r.peakRssMib });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
} finally {
  // The bench's topics (and the dead-letter topic `sneakpipe consume` creates); the groups expire with the broker's retention.
  const drop = `import sys
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": sys.argv[1]})  # kept: a dropped client is destroyed with its requests
for f in admin.delete_topics(sys.argv[2:]).values():
    try: f.result()
    except Exception: pass  # no dead-letter topic when sneakpipe did not run`;
  execFileSync(python, ['-c', drop, bootstrap, topic, `${topic}.dlq`], { stdio: 'inherit' });
}

// 6. The table and the ratio.
console.log('');
console.log('| tool | rows/s | peak RSS | guarantee |');
console.log('| --- | ---: | ---: | --- |');
for (const name of names) {
  const rs = results[name];
  if (rs.length === 0) continue;
  console.log(
    `| ${name} | ${range(
      rs.map((r) => r.rate),
      fmt,
    )} | ${range(
      rs.map((r) => r.rss),
      (x) => x.toFixed(0),
    )} MiB | ${TOOLS[name].guarantee} |`,
  );
}
console.log('');
const med = (name, key) => (results[name]?.length ? median(results[name].map((r) => r[key])) : undefined);
const peers = names.filter((n) => n !== 'sneakpipe' && results[n].length > 0);
if (med('sneakpipe', 'rate') !== undefined && peers.length > 0) {
  const best = peers.reduce((a, b) => (med(b, 'rate') > med(a, 'rate') ? b : a));
  const rss = med('plain', 'rss') !== undefined ? `${(med('sneakpipe', 'rss') / med('plain', 'rss')).toFixed(2)}×` : 'n/a';
  console.log(
    `sneakpipe / best peer: rows/s ${(med('sneakpipe', 'rate') / med(best, 'rate')).toFixed(2)}×, peak RSS ${rss} ` +
      `(best peer: ${best}; memory against plain confluent-kafka; medians of ${runs} run${runs > 1 ? 's' : ''})`,
  );
}
if (failures.length > 0) {
  console.log(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
