// Loaded with `node --import` by allocations.mjs into the command it measures: samples every allocation
// of the main thread, the objects the young generation collects included (V8's sampling heap profiler),
// and V8's statistics around each garbage collection; both are written to SNEAKPIPE_ALLOCATIONS_OUT
// when the process ends.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import v8 from 'node:v8';

const out = process.env.SNEAKPIPE_ALLOCATIONS_OUT;
const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const gc = new v8.GCProfiler();
gc.start();

let written = false;
function write() {
  if (written || !out) return;
  written = true;
  const collections = gc.stop()?.statistics ?? [];
  // A session of this thread answers synchronously: the file is written before the process ends.
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) writeFileSync(out, JSON.stringify({ profile: result.profile, collections }));
  });
}
process.on('beforeExit', write);
const exit = process.exit.bind(process);
process.exit = (code) => {
  write();
  return exit(code);
};
