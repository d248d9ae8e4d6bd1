import type { SettingsValues } from '../../config/settings.js';
import type { warehouseSettings } from '../../warehouse.js';
import { openWarehouseOps, type OpenedOps } from '../../warehouse-ops/open-warehouse-ops.js';
import type { LocalOpsOptions } from '../../warehouse-ops/warehouse-ops.js';

/** Opens the warehouse's operations for a command and always lets go of them. */
export async function withOps<T>(
  config: SettingsValues<typeof warehouseSettings>,
  work: (opened: OpenedOps) => Promise<T>,
  options: Omit<LocalOpsOptions, 'describe'> = {},
): Promise<T> {
  const opened = await openWarehouseOps(config, options);
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}
