// Prints vitest's JSON results as one closing line: "tests: N passed, N failed".
// A test file that fails without a failing test (it did not load, a hook
// threw) counts as one failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.test-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('tests: 0 passed, 1 failed');
  console.error(`no test results in ${file}: the test run did not finish`);
  process.exit(1);
}
const passed = results.numPassedTests ?? 0;
const brokenFiles = (results.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (results.numFailedTests ?? 0) + brokenFiles;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
