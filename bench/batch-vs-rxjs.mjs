// batch() against RxJS's own bufferCount / bufferTime on the same input.
// Reproduce: npm run build && node bench/batch-vs-rxjs.mjs [--items 2000000] [--runs 5]
import { batch } from '@sneakpipe/core';
import { Observable, bufferCount, bufferTime } from 'rxjs';
import { fmt, intArg, machine, median } from './lib.mjs';

const items = intArg('items', 2_000_000);
const runs = intArg('runs', 5);
const size = 1_000;

const source = new Observable((subscriber) => {
  for (let i = 0; i < items; i++) subscriber.next(i);
  subscriber.complete();
});

function measure(operator) {
  return new Promise((resolve) => {
    let batches = 0;
    const t0 = performance.now();
    source.pipe(operator()).subscribe({
      next: () => batches++,
      complete: () => resolve(items / ((performance.now() - t0) / 1000)),
    });
  });
}

const cases = {
  'batch({ maxCount })': () => batch({ maxCount: size, maxWaitMs: Infinity }),
  'rxjs bufferCount': () => bufferCount(size),
  'batch({ maxCount, maxWaitMs: 1000 })': () => batch({ maxCount: size, maxWaitMs: 1_000 }),
  'rxjs bufferTime(1000, null, maxCount)': () => bufferTime(1_000, null, size),
};

console.log(`# batch() vs RxJS — ${fmt(items)} items, batches of ${size}, median of ${runs} runs`);
console.log(`# ${machine()}`);
const results = {};
for (const [name, op] of Object.entries(cases)) {
  await measure(op); // warm-up
  const rates = [];
  for (let r = 0; r < runs; r++) rates.push(await measure(op));
  results[name] = median(rates);
  console.log(`${name.padEnd(40)} ${fmt(results[name]).padStart(14)} items/s`);
}
console.log(`ratio batch/bufferCount: ${(results['batch({ maxCount })'] / results['rxjs bufferCount']).toFixed(2)}`);
console.log(
  `ratio batch(time)/bufferTime: ${(results['batch({ maxCount, maxWaitMs: 1000 })'] / results['rxjs bufferTime(1000, null, maxCount)']).toFixed(2)}`,
);
