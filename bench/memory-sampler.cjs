// Where a process's memory is at its highest RSS, thread by thread: preloaded with `node --require` into any
// `sneakpipe` command, it samples process.memoryUsage() every 250 ms; worker threads (DuckDB's) report their
// V8 heap to the main thread, which prints, when the process exits, the RSS at its highest sample and each
// isolate's heap at that moment. Reproduce (a backlog in topic T):
//   node --max-semi-space-size=2 --require ./bench/memory-sampler.cjs packages/runners/bin/sneakpipe.js \
//     consume --topic T --group G --warehouse /tmp/w.duckdb --exit-when-idle 2000 --metrics-port 0
const { BroadcastChannel, isMainThread, threadId } = require('node:worker_threads');

const EVERY_MS = 250;
const channel = new BroadcastChannel('sneakpipe-memory-sampler');
channel.unref();
const mib = (bytes) => Math.round(bytes / 2 ** 20);
const heapOf = ({ heapTotal, heapUsed }) => `${mib(heapTotal)} MiB committed (${mib(heapUsed)} used)`;

if (isMainThread) {
  /** Each worker's latest heap, by thread id. */
  const workers = new Map();
  channel.onmessage = ({ data }) => workers.set(data.threadId, data);
  let peak = { usage: process.memoryUsage(), workers: [] };
  setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss > peak.usage.rss) peak = { usage, workers: [...workers.values()] };
  }, EVERY_MS).unref();
  process.on('exit', () => {
    const { usage } = peak;
    const lines = [
      `memory at the highest RSS sampled: ${mib(usage.rss)} MiB`,
      `  main thread: V8 heap ${heapOf(usage)}, external ${mib(usage.external)} MiB (array buffers ${mib(usage.arrayBuffers)})`,
      ...peak.workers.map((w) => `  worker thread ${w.threadId}: V8 heap ${heapOf(w)}`),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  });
} else {
  setInterval(() => {
    const { heapTotal, heapUsed } = process.memoryUsage();
    channel.postMessage({ threadId, heapTotal, heapUsed });
  }, EVERY_MS).unref();
}
