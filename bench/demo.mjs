// `sneakpipe demo` at full speed: events/s and peak RSS, as a user runs it.
// Reproduce: npm run build && node bench/demo.mjs [--events 1000000] [--runs 3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, intArg, machine, median } from './lib.mjs';

const events = intArg('events', 1_000_000);
const runs = intArg('runs', 3);
const cli = new URL('../packages/runners/dist/cli.js', import.meta.url).pathname;

console.log(`# sneakpipe demo --events ${events} — median of ${runs} runs, fresh warehouse each run`);
console.log(`# ${machine()}`);
const rates = [];
const rss = [];
for (let r = 0; r < runs; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-bench-'));
  const out = execFileSync(process.execPath, [cli, 'demo', '--events', String(events), '--warehouse', join(dir, 'w.duckdb')], {
    encoding: 'utf8',
    env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'warn' },
  });
  rmSync(dir, { recursive: true, force: true });
  const rate = Number(/throughput\s+([\d,]+)/.exec(out)[1].replaceAll(',', ''));
  const mb = Number(/peak memory \(RSS\)\s+([\d,]+)/.exec(out)[1].replaceAll(',', ''));
  console.log(`run ${r + 1}: ${fmt(rate)} events/s, peak RSS ${mb} MB`);
  rates.push(rate);
  rss.push(mb);
}
console.log(`median: ${fmt(median(rates))} events/s, peak RSS ${fmt(median(rss))} MB`);
