// The producer thread of bench/columnar-ceiling.mjs: the demo's events as STREAMING_ORDERS columns, encoded as the
// DuckDB warehouse encodes them, a batch at a time, transferred (not copied). At most three batches ahead of the loads.
import { parentPort, workerData } from 'node:worker_threads';
import { encodedBuffers } from '@sneakpipe/connectors/duckdb';
import { OrderEventGenerator } from '@sneakpipe/sneakers';
import { encodedDemoRows } from './demo-rows.mjs';

const { events, batch, topic } = workerData;
// As the demo's `generate` draws them: as fast as possible, no seasonality, lifecycles sped up.
const generator = new OrderEventGenerator({ seed: 42, clock: Date.now, ordersPerDay: 86_400, seasonality: false, lifecycleSpeedup: 3_600 });
const next = [0, 0, 0];
let credits = 3;
let wake;
parentPort.on('message', () => {
  credits++;
  wake?.();
});

for (let sent = 0; sent < events; sent += batch) {
  const encoded = encodedDemoRows(generator, next, Math.min(batch, events - sent), topic);
  while (credits === 0) await new Promise((resolve) => (wake = resolve));
  credits--;
  const buffers = encodedBuffers(encoded);
  parentPort.postMessage({ encoded, buffers, next: [...next] }, buffers);
}
parentPort.postMessage({ done: true, cpu: process.threadCpuUsage() });
