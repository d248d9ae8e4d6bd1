import { nonNegativeInt, positiveInt } from './schemas.js';
import type { Setting } from './settings.js';

/** How the consumer batches loads: the two bounds users tune for latency and cost. */
export function batchSettings(defaultCount: number) {
  return {
    batchSize: {
      flag: 'batch-size',
      value: 'n',
      schema: positiveInt(),
      default: String(defaultCount),
      description: 'most events per warehouse load',
    },
    batchWaitMs: {
      flag: 'batch-wait-ms',
      value: 'ms',
      schema: nonNegativeInt(),
      default: '1000',
      description: 'longest time an event waits for its batch',
    },
  } satisfies Record<string, Setting>;
}
