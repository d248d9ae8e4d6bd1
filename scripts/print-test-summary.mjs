// Prints vitest's JSON results (one file or several) and ends with one line
// that CI reads: "tests: N passed, N failed" (then ", N skipped", ", N todo",
// ", N files without a test" when there are any).
//
// The run fails (exit 1) when any test failed, and also when any test was
// skipped or left todo, or when a test file ran no test: a test that does not
// run checks nothing, so it must not pass unnoticed. Each of them is named.
// A test file that fails without a failing test (it did not load, a hook
// threw) counts as one failure; a missing results file (the run did not
// finish) counts as one too.
//
// An argument LABEL=FILE (e.g. "Node 22=.test-results-node22.json") counts
// that file's results too and prefixes the names it prints with [LABEL], for a
// run of the same tests in another setting.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

let passed = 0;
let failed = 0;
const notRun = []; // [status, name]
const withoutTests = []; // [file, why]
const brokenFiles = []; // [file, message]

for (const arg of process.argv.slice(2)) {
  const labelled = existsSync(arg) ? null : /^([^=/]+)=(.+)$/.exec(arg);
  const file = labelled ? labelled[2] : arg;
  const prefix = labelled ? `[${labelled[1]}] ` : '';
  let results;
  try {
    results = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`no test results in ${file}: that run did not finish`);
    failed++;
    continue;
  }
  for (const testFile of results.testResults ?? []) {
    const name = prefix + relative(process.cwd(), testFile.name ?? '?');
    const tests = testFile.assertionResults ?? [];
    let ran = 0;
    for (const test of tests) {
      const title = [name, ...(test.ancestorTitles ?? []), test.title].join(' > ');
      if (test.status === 'passed') passed++;
      else if (test.status === 'failed') failed++;
      else notRun.push([test.status === 'todo' ? 'todo' : 'skipped', title]);
      if (test.status === 'passed' || test.status === 'failed') ran++;
    }
    const message = String(testFile.message ?? '').split('\n')[0];
    if (testFile.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      if (tests.length === 0 && /no test found/i.test(message)) withoutTests.push([name, message]);
      else {
        brokenFiles.push([name, message || 'failed outside any test']);
        failed++;
      }
    } else if (ran === 0) {
      withoutTests.push([name, tests.length > 0 ? 'every test in it was skipped or todo' : 'no test in it']);
    }
  }
}

if (brokenFiles.length > 0) {
  console.log(`\ntest files that failed outside a test (${brokenFiles.length}):`);
  for (const [name, message] of brokenFiles) console.log(`  ${name}: ${message}`);
}
if (notRun.length > 0) {
  console.log(`\ntests that did not run (${notRun.length}; skipped and todo tests fail the run):`);
  for (const [status, title] of notRun) console.log(`  ${status.padEnd(7)} ${title}`);
}
if (withoutTests.length > 0) {
  console.log(`\ntest files that ran no test (${withoutTests.length}; they fail the run):`);
  for (const [name, why] of withoutTests) console.log(`  ${name}: ${why}`);
}

const skipped = notRun.filter(([status]) => status === 'skipped').length;
const todo = notRun.length - skipped;
const extra = [
  skipped ? `, ${skipped} skipped` : '',
  todo ? `, ${todo} todo` : '',
  withoutTests.length ? `, ${withoutTests.length} file${withoutTests.length === 1 ? '' : 's'} without a test` : '',
].join('');
console.log(`tests: ${passed} passed, ${failed} failed${extra}`);
process.exit(failed > 0 || passed === 0 || notRun.length > 0 || withoutTests.length > 0 ? 1 : 0);
