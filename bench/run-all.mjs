// Runs every benchmark in turn with the sizes docs/benchmarks.md reports. Each
// prints its own figures and how to reproduce them. The Kafka ones need the
// broker, the Snowpipe Streaming one the Snowflake emulator: npm run infra:up.
import { execFileSync } from 'node:child_process';

const plan = [
  // The limits, each next to its reference in one run (the Kafka ones too when the broker is up).
  ['limits.mjs', ['--events', '1000000']],
  ['duckdb-append.mjs', ['--rows', '1000000']],
  ['columnar-ceiling.mjs', ['--events', '1000000']],
  ['batch-vs-rxjs.mjs', ['--items', '1000000', '--runs', '3']],
  ['embedded.mjs', ['--events', '1000000', '--runs', '3']],
  ['row-check.mjs', ['--events', '300000', '--runs', '3']],
  ['schema-evolution.mjs', ['--events', '300000', '--runs', '7']],
  ['kafka.mjs', ['--events', '300000', '--runs', '3']],
  ['latency.mjs', ['--seconds', '20', '--runs', '3']],
  ['snowpipe-streaming.mjs', ['--events', '60000']],
  ['memory.mjs', ['--events', '1000000']],
  ['peers.mjs', ['--events', '1000000', '--runs', '2']],
];
for (const [script, args] of plan) {
  console.log(`\n=== node bench/${script} ${args.join(' ')}`);
  execFileSync(process.execPath, [new URL(script, import.meta.url).pathname, ...args], { stdio: 'inherit' });
}
