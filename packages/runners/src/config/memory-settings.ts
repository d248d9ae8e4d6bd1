import { setFlagsFromString } from 'node:v8';
import { fields, setting } from '@sneakpipe/core';

/** The memory/throughput trade-off of a long-running command. */
export const memorySettings = {
  lowMemory: setting(fields.bool.default(false), {
    flag: 'low-memory',
    env: 'SNEAKPIPE_LOW_MEMORY',
    description: 'collect garbage eagerly: flat, lower memory (about half) for about 40% less throughput',
  }),
};

/**
 * Applies `--low-memory`. By default V8 lets garbage pile up between major
 * collections (a consumer holding 20,000 records in flight peaks around
 * 400 MB RSS with ~70 MB live); `--optimize-for-size` collects eagerly, so
 * resident memory stays near what is live. Set at start, before the heap grows.
 */
export function applyMemoryMode(values: { lowMemory: boolean }, log?: { info(obj: object, msg: string): void }): void {
  if (!values.lowMemory) return;
  setFlagsFromString('--optimize-for-size');
  log?.info({ v8: '--optimize-for-size' }, 'low-memory mode: garbage is collected eagerly');
}
