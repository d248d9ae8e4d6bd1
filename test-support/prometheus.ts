import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsInfrastructure, requireProgram } from './infrastructure.js';
import { freePort } from './ports.js';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'Prometheus, promtool, node-exporter';

async function waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** A real server process started for one test file. */
export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, dir?: string) {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => {
        if (dir) rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Debian's node-exporter on a free loopback port. */
export async function startNodeExporter(): Promise<RunningServer> {
  needsInfrastructure('node-exporter');
  requireProgram('prometheus-node-exporter', 'node-exporter');
  const port = await freePort();
  const child = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/metrics`);
  return { url, stop: stopper(child) };
}

/**
 * A real Prometheus (Debian's package) scraping `targets` every second, with
 * our alert rules loaded. A job may have several targets (replicas of one
 * runner, as service discovery finds them in production).
 */
export async function startPrometheus(
  targets: Record<string, string | readonly string[]>,
  ruleFile?: string,
): Promise<RunningServer & { query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> }> {
  needsInfrastructure('Prometheus');
  requireProgram('prometheus', 'Prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-prometheus-'));
  const port = await freePort();
  const scrape = Object.entries(targets)
    .map(([job, target]) => {
      const list = [target].flat().map((t) => `'${t}'`);
      return `  - job_name: ${job}\n    static_configs:\n      - targets: [${list.join(', ')}]`;
    })
    .join('\n');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${ruleFile ? `rule_files:\n  - ${ruleFile}\n` : ''}scrape_configs:\n${scrape}\n`,
  );
  const child = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/-/ready`);
  return {
    url,
    stop: stopper(child, dir),
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        error?: string;
      };
      if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
      return body.data.result;
    },
  };
}

/** Metric families (from `# TYPE` lines) and sample values in a Prometheus text exposition. */
export function parseExposition(text: string): { families: Set<string>; samples: Map<string, number> } {
  const families = new Set<string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) families.add(type[1]!);
    else if (line && !line.startsWith('#')) {
      const i = line.lastIndexOf(' ');
      samples.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
  }
  return { families, samples };
}

/** Sum of every sample of a metric (all label sets), from an exposition. */
export function sumSamples(samples: Map<string, number>, name: string): number {
  let sum = 0;
  for (const [key, value] of samples) if (key === name || key.startsWith(`${name}{`)) sum += value;
  return sum;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not
 * functions, aggregations, keywords, label names or strings.
 */
export function metricNames(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = stripped.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    if (/^\d/.test(m[0])) continue;
    names.add(m[0]);
  }
  return names;
}
