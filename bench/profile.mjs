// Profiles a sneakpipe command with V8's sampling profiler and prints where
// the time goes: the functions with the most self time, and the share of each
// package. The .cpuprofile it keeps opens as a flame graph in Chrome DevTools
// (Performance → Load profile) or https://www.speedscope.app. Reproduce:
//   npm run build && node bench/profile.mjs [--top 25] -- demo --events 300000
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, commandArgs, frameKeys, intArg, machine } from './lib.mjs';

const top = intArg('top', 25);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-profile-'));
const args = commandArgs(['demo', '--events', '300000'], dir);

console.log(`# sneakpipe ${args.join(' ')} under node --cpu-prof`);
console.log(`# ${machine()}`);
execFileSync(process.execPath, [...BIN_NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', dir, SNEAKPIPE_BIN, ...args], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'warn', SNEAKPIPE_METRICS_PORT: '0' },
});
const file = join(
  dir,
  readdirSync(dir).find((f) => f.endsWith('.cpuprofile')),
);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node, from the samples and their time deltas.
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  total += dt;
});
const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
const byFunction = new Map();
const byPackage = new Map();
for (const [id, t] of selfTime) {
  const { fn, pkg } = frameKeys(nodes.get(id).callFrame);
  add(byFunction, fn, t);
  add(byPackage, pkg, t);
}
const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [key, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${key}`);
};
print('self time by function', byFunction, top);
print('self time by package', byPackage, 12);
console.log(`\nflame graph: ${file}`);
