import { fields, setting } from '@sneakpipe/core';

/** The generator's seed: same seed, same events. */
export const seedSetting = setting(fields.nonNegativeInt().default(42), {
  flag: 'seed',
  value: 's',
  description: 'random seed: same seed, same events',
});
