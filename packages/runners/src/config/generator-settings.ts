import { nonNegativeInt } from './schemas.js';
import type { Setting } from './settings.js';

/** The generator's seed: same seed, same events. */
export const seedSetting = {
  flag: 'seed',
  value: 's',
  schema: nonNegativeInt(),
  default: '42',
  description: 'random seed: same seed, same events',
} satisfies Setting;
