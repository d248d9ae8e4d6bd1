import { existsSync } from 'node:fs';
import { SettingsError, type SettingsValues } from '../config/settings.js';
import { chosenWarehouse, openWarehouse, type warehouseSettings } from '../warehouse.js';
import { readOwnerCard } from './owner-file.js';
import { remoteWarehouseOps } from './remote-warehouse-ops.js';
import { localWarehouseOps, type LocalOpsOptions, type WarehouseOps } from './warehouse-ops.js';

/** The operations and how to let go of them. */
export interface OpenedOps {
  readonly ops: WarehouseOps;
  /** `own` when this process opened the warehouse, `owner` when it goes through the consumer that has the DuckDB file. */
  readonly via: 'own' | 'owner';
  close(): Promise<void>;
}

/**
 * The configured warehouse's operations for a command: Snowflake directly;
 * a DuckDB file directly when no process has it open, else through the
 * process that does (its owner card, `<file>.owner.json`).
 */
export async function openWarehouseOps(
  settings: SettingsValues<typeof warehouseSettings>,
  options: Omit<LocalOpsOptions, 'describe'> = {},
): Promise<OpenedOps> {
  if (chosenWarehouse(settings).embedded) {
    const file = settings.duckdbPath;
    if (!existsSync(file)) throw new SettingsError(`invalid setting --warehouse (or SNEAKPIPE_WAREHOUSE): no DuckDB warehouse at ${file}`);
    const owner = readOwnerCard(file);
    if (owner) {
      const ops = remoteWarehouseOps(owner.url);
      return { ops, via: 'owner', close: async () => undefined };
    }
  }
  let warehouse;
  try {
    warehouse = await openWarehouse(settings);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const holder = /Conflicting lock is held in .*?\(PID (\d+)\)/.exec(message);
    if (!holder) throw error;
    throw new Error(
      `${settings.duckdbPath} is open in another process (PID ${holder[1]}) that publishes no operator endpoint; ` +
        'run this command while a sneakpipe consumer holds the file (it answers for it), or once that process has stopped',
    );
  }
  const opened = warehouse;
  return { ops: localWarehouseOps(opened, { ...options, describe: () => opened.describe() }), via: 'own', close: () => opened.close() };
}
