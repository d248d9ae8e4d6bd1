import { fields, setting } from '@sneakpipe/core';

/** How the consumer batches loads: the two bounds users tune for latency and cost. */
export function batchSettings(defaultCount: number) {
  return {
    batchSize: setting(fields.positiveInt().default(defaultCount), {
      flag: 'batch-size',
      value: 'n',
      description: 'most events per warehouse load',
    }),
    batchWaitMs: setting(fields.nonNegativeInt().default(1000), {
      flag: 'batch-wait-ms',
      value: 'ms',
      description: 'longest time an event waits for its batch',
    }),
  };
}
