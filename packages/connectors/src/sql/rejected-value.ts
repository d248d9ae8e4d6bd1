import { SneakpipeError, describeValue } from '@sneakpipe/core';

/**
 * A value its column's type cannot hold, refused before the warehouse sees it
 * as the warehouse's cast would refuse it: `WAREHOUSE_REJECTED`, not
 * retriable (the same load fails again).
 */
export function rejectedValue(value: unknown, what: string): SneakpipeError {
  return new SneakpipeError('WAREHOUSE_REJECTED', `cannot load ${describeValue(value)} as ${what}`, { retriable: false });
}
