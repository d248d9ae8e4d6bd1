// Runs every benchmark in turn. Each prints its own figures and how to reproduce them.
import { execFileSync } from 'node:child_process';

for (const script of ['batch-vs-rxjs.mjs', 'embedded.mjs', 'kafka.mjs']) {
  console.log(`\n=== bench/${script}`);
  execFileSync(process.execPath, [new URL(script, import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
}
