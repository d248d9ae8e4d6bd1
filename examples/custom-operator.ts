/**
 * Example: inserting a custom operator into the consumer pipeline.
 *
 * `tagVip()` enriches each valid order event before it is batched: orders of
 * 300 € or more get their customer name suffixed with " (VIP)". It is a plain
 * RxJS operator over `Decoded<ReceivedOrderEvent>`, so it composes with the library's
 * operators and keeps dead letters (and their offsets) flowing untouched.
 */
import { InMemoryBroker, batch, deserialize, load, nextOffsets, serialize } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, orderEventCodec, generate, orderEventSink } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { concatMap, lastValueFrom } from 'rxjs';

// The operator's own imports are in its region: docs/library.md quotes it as a module that compiles alone.
// #region operator
import type { Decoded } from '@sneakpipe/core';
import type { ReceivedOrderEvent } from '@sneakpipe/sneakers';
import { map, type OperatorFunction } from 'rxjs';

/** Marks big orders; leaves everything else, dead letters included, as it is. */
export function tagVip(threshold = 300): OperatorFunction<Decoded<ReceivedOrderEvent>, Decoded<ReceivedOrderEvent>> {
  return map((d) =>
    d.ok && d.value.total_amount >= threshold ? { ...d, value: { ...d.value, customer_name: `${d.value.customer_name} (VIP)` } } : d,
  );
}
// #endregion

/** Runs generate → in-process broker → deserialize → tagVip → batch → DuckDB; returns VIP and total rows. */
export async function runWithVipTagging(path: string, events = 3_000): Promise<{ rows: number; vip: number; bigOrders: number }> {
  const broker = new InMemoryBroker();
  broker.createTopic('orders', 3);
  await lastValueFrom(
    generate({ count: events, seed: 11 }).pipe(
      serialize(orderEventCodec, { key: (e) => String(e.order_id) }),
      batch({ maxCount: 500, maxWaitMs: 10 }),
      load(broker.producer('orders')),
    ),
  );
  const warehouse = await DuckDbWarehouse.open({ path }, { tables: WAREHOUSE_TABLES });
  const consumer = broker.consumer({ groupId: 'vip', topic: 'orders' });
  consumer.finish();
  try {
    await lastValueFrom(
      // #region use
      consumer.records().pipe(
        deserialize(orderEventCodec),
        tagVip(),
        batch({ maxCount: 1_000, maxWaitMs: 50 }),
        load(orderEventSink({ warehouse, group: 'vip' })),
        concatMap((loaded) => consumer.commit(nextOffsets(loaded.items))),
      ),
      // #endregion
      { defaultValue: undefined },
    );
    const [r] = await warehouse.query<{ N: bigint; VIP: bigint; BIG: bigint }>(
      `SELECT COUNT(*) AS N, COUNT(*) FILTER (WHERE CUSTOMER_NAME LIKE '% (VIP)') AS VIP, COUNT(*) FILTER (WHERE TOTAL_AMOUNT >= 300) AS BIG FROM ${warehouse.table('STREAMING_ORDERS')}`,
    );
    return { rows: Number(r!.N), vip: Number(r!.VIP), bigOrders: Number(r!.BIG) };
  } finally {
    await consumer.close();
    await warehouse.close();
  }
}
