// What the main thread allocates per record, and how much of it lives long enough to be promoted to
// the old generation (the garbage collector's real work: a scavenge copies what survives). Unlike
// throughput, these figures hardly move between runs, so a change that allocates less shows up here
// even when its speed-up is inside the noise. Runs any `sneakpipe` command with allocations.mjs's
// preload; the records are read from its summary (or --records). Reproduce:
//   npm run build && node bench/allocations.mjs [--top 20] -- demo --events 200000
//   node bench/allocations.mjs -- consume --topic T --group G --warehouse /tmp/w.duckdb --exit-when-idle 1500
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, commandArgs, fmt, frameKeys, intArg, machine } from './lib.mjs';

const top = intArg('top', 20);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-allocations-'));
const out = join(dir, 'allocations.json');
const preload = new URL('./allocations-preload.mjs', import.meta.url).pathname;
const args = commandArgs(['demo', '--events', '200000'], dir);

console.log(`# sneakpipe ${args.join(' ')}, main thread, allocations sampled every 4 KiB`);
console.log(`# ${machine()}`);
const stdout = execFileSync(process.execPath, [...BIN_NODE_FLAGS, '--import', preload, SNEAKPIPE_BIN, ...args], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, SNEAKPIPE_ALLOCATIONS_OUT: out, SNEAKPIPE_LOG_LEVEL: 'warn', SNEAKPIPE_METRICS_PORT: '0' },
});
const summary = /rows loaded\s+([\d,]+)|loaded ([\d,]+) events/.exec(stdout);
const records = intArg('records', summary ? Number((summary[1] ?? summary[2]).replaceAll(',', '')) : NaN);
if (!(records > 0)) throw new Error(`how many records? none in the command's summary; give --records N\n${stdout}`);
const { profile, collections } = JSON.parse(readFileSync(out, 'utf8'));

// Self bytes per function and per package.
const byFunction = new Map();
const byPackage = new Map();
let total = 0;
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
(function walk(node) {
  if (node.selfSize) {
    total += node.selfSize;
    const { fn, pkg } = frameKeys(node.callFrame);
    add(byFunction, fn, node.selfSize);
    add(byPackage, pkg, node.selfSize);
  }
  node.children.forEach(walk);
})(profile.head);

// Promoted by each scavenge: what the old generation gained.
const OLD = new Set([
  'old_space',
  'code_space',
  'large_object_space',
  'code_large_object_space',
  'trusted_space',
  'trusted_large_object_space',
]);
const oldUsed = (stats) => stats.heapSpaceStatistics.filter((s) => OLD.has(s.spaceName)).reduce((n, s) => n + s.spaceUsedSize, 0);
const scavenges = collections.filter((c) => c.gcType === 'Scavenge');
const promoted = scavenges.reduce((n, c) => n + Math.max(0, oldUsed(c.afterGC) - oldUsed(c.beforeGC)), 0);
const ms = (list) => list.reduce((n, c) => n + c.cost, 0) / 1000;
const full = collections.filter((c) => c.gcType !== 'Scavenge');

const perRecord = (bytes) => `${fmt(bytes / records).padStart(6)} B/record`;
console.log(`\nrecords                ${fmt(records)}`);
console.log(`allocated              ${perRecord(total)}  (${fmt(total / 2 ** 20)} MiB sampled)`);
console.log(`promoted by scavenges  ${perRecord(promoted)}  (${scavenges.length} scavenges, ${fmt(ms(scavenges))} ms)`);
console.log(`full collections       ${full.length} (${fmt(ms(full))} ms)`);
const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${perRecord(bytes)}  ${((100 * bytes) / total).toFixed(1).padStart(5)} %  ${key}`);
};
print('allocated by function (self)', byFunction, top);
print('allocated by package', byPackage, 10);
