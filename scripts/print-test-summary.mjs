// Prints vitest's JSON results (one file or several) as one closing line:
// "tests: N passed, N failed". A test file that fails without a failing test
// (it did not load, a hook threw) counts as one failure; a missing results
// file (the run did not finish) counts as one too.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  let results;
  try {
    results = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`no test results in ${file}: that run did not finish`);
    failed++;
    continue;
  }
  passed += results.numPassedTests ?? 0;
  failed += results.numFailedTests ?? 0;
  failed += (results.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
