import type { Command } from 'commander';
import {
  CUSTOMERS,
  INVENTORY,
  ORDERS,
  OrderEventGenerator,
  type OrderEvent,
  orderEventSink,
  createCustomerPool,
  customerRows,
  inventoryRows,
  orderHistoryRows,
} from '@sneakpipe/sneakers';
import { fields, setting, type Decoded, type TableSpec, type Warehouse, type WarehouseRow } from '@sneakpipe/core';
import { formatInt } from '../format.js';
import { createProgress } from '../progress.js';
import { openWarehouse, warehouseSettings } from '../warehouse.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

const settings = {
  ...warehouseSettings,
  customers: setting(fields.positiveInt().default(5000), {
    flag: 'customers',
    value: 'n',
    description: 'customers (the pool the stream draws from)',
  }),
  days: setting(fields.nonNegativeInt().default(30), { flag: 'days', value: 'n', description: 'days of order history, ending now' }),
  ordersPerDay: setting(fields.positiveInt().default(2000), {
    flag: 'orders-per-day',
    value: 'n',
    description: 'mean orders per day in the history',
  }),
  colorsPerModel: setting(fields.positiveInt().optional(), {
    flag: 'colors-per-model',
    value: 'n',
    description: 'colourways stocked per model (default: all the stream sells)',
  }),
  seed: setting(fields.nonNegativeInt().default(42), {
    flag: 'seed',
    value: 's',
    description: 'random seed (use the stream’s, so customers match)',
  }),
  streamDays: setting(fields.nonNegativeInt().default(0), {
    flag: 'stream-days',
    value: 'n',
    description: 'also backfill STREAMING_ORDERS with n days of order events, as the stream would have loaded them (for reports)',
  }),
  chunk: setting(fields.positiveInt().default(5000), { flag: 'chunk-size', value: 'n', description: 'rows per load' }),
};

async function loadInChunks(
  warehouse: Warehouse,
  table: TableSpec,
  rows: Iterable<WarehouseRow>,
  chunk: number,
  onRows: (n: number) => void,
): Promise<number> {
  let buffer: WarehouseRow[] = [];
  let total = 0;
  const flush = async () => {
    await warehouse.insertIfAbsent(table, buffer);
    total += buffer.length;
    onRows(buffer.length);
    buffer = [];
  };
  for (const row of rows) {
    buffer.push(row);
    if (buffer.length >= chunk) await flush();
  }
  if (buffer.length > 0) await flush();
  return total;
}

/** Loads `streamDays` of generated events ending now into STREAMING_ORDERS, through the warehouse's own write path. */
async function backfillStream(
  warehouse: Warehouse,
  config: { seed: number; streamDays: number; ordersPerDay: number },
  customers: ReturnType<typeof createCustomerPool>,
  chunk: number,
  onRows: (n: number) => void,
): Promise<number> {
  const end = Date.now();
  const generator = new OrderEventGenerator({
    seed: config.seed + 1,
    customers,
    start: end - config.streamDays * 86_400_000,
    end,
    ordersPerDay: config.ordersPerDay,
  });
  // The backfill is a stream of its own, positioned by event index: a re-run adds only what the last one did not load.
  const sink = orderEventSink({ warehouse, group: 'sneakpipe-seed' });
  const topic = `seed-stream-backfill:${config.seed}`;
  let batch: Decoded<OrderEvent>[] = [];
  let total = 0;
  for (const value of generator) {
    batch.push({ ok: true, value, sizeBytes: 0, position: { topic, partition: 0, offset: total + batch.length } });
    if (batch.length >= chunk) {
      await sink.write(batch);
      total += batch.length;
      onRows(batch.length);
      batch = [];
    }
  }
  if (batch.length > 0) await sink.write(batch);
  return total + batch.length;
}

/** `sneakpipe seed`: the original system's batch reference data (CUSTOMERS, INVENTORY, ORDERS). */
export function seedCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'seed',
      description:
        'Generate and load the batch reference data: CUSTOMERS (the same pool the stream uses), INVENTORY (stock and price per SKU) and ORDERS (days of history with seasonality). Re-running adds no duplicates.',
      examples: [
        'sneakpipe seed --days 30 --stream-days 30',
        'SNOWFLAKE_ACCOUNT=myorg-myaccount SNOWFLAKE_USER=loader sneakpipe seed --customers 20000',
      ],
      settings,
    },
    async (config) => {
      const log = context.logger();
      const warehouse = await openWarehouse(config);
      log.info({ warehouse: warehouse.describe(), customers: config.customers, days: config.days }, 'seeding reference data');
      try {
        const pool = createCustomerPool(config.seed, config.customers);
        const inventory = inventoryRows({ seed: config.seed, ...(config.colorsPerModel ? { colorsPerModel: config.colorsPerModel } : {}) });
        const expectedOrders = config.days * config.ordersPerDay;
        const progress = createProgress('seed', pool.length + inventory.length + expectedOrders);
        let done = 0;
        const step = (n: number) => progress.update((done += n));
        const counts: Record<string, number> = {};
        try {
          counts.CUSTOMERS = await loadInChunks(warehouse, CUSTOMERS, customerRows(pool), config.chunk, step);
          counts.INVENTORY = await loadInChunks(warehouse, INVENTORY, inventory, config.chunk, step);
          const history = orderHistoryRows({ seed: config.seed, days: config.days, customers: pool, ordersPerDay: config.ordersPerDay });
          counts.ORDERS = await loadInChunks(warehouse, ORDERS, history, config.chunk, step);
          if (config.streamDays > 0) counts.STREAMING_ORDERS = await backfillStream(warehouse, config, pool, config.chunk, step);
        } finally {
          progress.stop();
        }
        const lines: string[] = [];
        for (const [table, offered] of Object.entries(counts)) {
          const [row] = await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table(table)}`);
          const total = Number(row?.N ?? 0);
          lines.push(`${table.padEnd(16)} ${formatInt(offered).padStart(9)} rows generated, ${formatInt(total).padStart(9)} in the table`);
        }
        log.info({ rows: counts }, 'reference data loaded');
        context.out(lines.join('\n'));
      } finally {
        await warehouse.close();
      }
    },
  );
}
