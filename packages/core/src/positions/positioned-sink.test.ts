import { describe, expect, it } from 'vitest';
import type { RecordPosition } from '../contracts/records.js';
import { LoadSplitError, PositionConflictError, type Warehouse, type WarehouseLoad } from '../contracts/warehouse.js';
import { positionedSink } from './positioned-sink.js';

type Item = { id: string; position?: RecordPosition };

/** A warehouse reduced to what positionedSink uses: rows appended and positions compare-and-set, in memory. */
function memoryWarehouse() {
  const rows: string[] = [];
  const stored = new Map<string, number>();
  let failNext: Error | undefined;
  const warehouse: Pick<Warehouse, 'append' | 'positions'> = {
    async append(load: WarehouseLoad) {
      if (failNext) throw ((e) => ((failNext = undefined), e))(failNext);
      const conflicts = (load.positions ?? [])
        .map((a) => ({ topic: a.topic, partition: a.partition, expected: a.from, stored: stored.get(`${a.topic}/${a.partition}`) ?? null }))
        .filter((c) => c.expected !== c.stored);
      if (conflicts.length > 0) throw new PositionConflictError(conflicts);
      for (const t of load.tables) rows.push(...t.rows.map((r) => String(r[0])));
      for (const a of load.positions ?? []) stored.set(`${a.topic}/${a.partition}`, a.to);
    },
    async positions(_group, topic) {
      return new Map([...stored].filter(([k]) => k.startsWith(`${topic}/`)).map(([k, v]) => [Number(k.split('/')[1]), v]));
    },
  };
  return { warehouse, rows, stored, failOnce: (e: Error) => (failNext = e) };
}

const items = (partition: number, from: number, to: number, topic = 't'): Item[] =>
  Array.from({ length: to - from }, (_, i) => ({
    id: `${topic}-${partition}-${from + i}`,
    position: { topic, partition, offset: from + i },
  }));
const rows = (batch: readonly Item[]) => [{ table: { name: 'T', columns: [], description: '' }, rows: batch.map((b) => [b.id]) }];

describe('positionedSink()', () => {
  it('loads each record once across replays, and counts what it dropped', async () => {
    const w = memoryWarehouse();
    const skipped: string[][] = [];
    const sink = positionedSink<Item>({
      warehouse: w.warehouse,
      group: 'g',
      rows,
      onSkipped: (dropped) => skipped.push(dropped.map((d) => d.id)),
    });
    await sink.write([...items(0, 0, 5), ...items(1, 0, 3)]);
    await sink.write([...items(0, 3, 8), ...items(1, 0, 3)]);
    expect(w.rows).toEqual([...items(0, 0, 5), ...items(1, 0, 3), ...items(0, 5, 8)].map((i) => i.id));
    expect(skipped).toEqual([[...items(0, 3, 5), ...items(1, 0, 3)].map((i) => i.id)]);
    expect(sink.skipped).toBe(5);
    expect(w.stored).toEqual(
      new Map([
        ['t/0', 8],
        ['t/1', 3],
      ]),
    );
  });

  it('drops a second copy of a record within one batch', async () => {
    const w = memoryWarehouse();
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    await sink.write([...items(0, 0, 3), ...items(0, 1, 4)]);
    expect(w.rows).toEqual(items(0, 0, 4).map((i) => i.id));
    expect(sink.skipped).toBe(2);
  });

  it('a restarted sink starts from the stored positions', async () => {
    const w = memoryWarehouse();
    await positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows }).write(items(0, 0, 10));
    const again = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    expect(await again.resume('t', [0, 1])).toEqual(new Map([[0, 10]]));
    await again.write(items(0, 5, 12));
    expect(w.rows).toEqual(items(0, 0, 12).map((i) => i.id));
  });

  it('when another writer moved a position, reads it again, drops what that writer loaded and loads the rest', async () => {
    const w = memoryWarehouse();
    const a = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    const b = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    await a.write(items(0, 0, 4));
    await b.resume('t');
    await a.write(items(0, 4, 6)); // b does not know
    await b.write(items(0, 4, 9));
    expect(w.rows).toEqual(items(0, 0, 9).map((i) => i.id));
    expect(b.skipped).toBe(2);
  });

  it('reports a gap between the stored position and the first record received', async () => {
    const w = memoryWarehouse();
    const gaps: unknown[] = [];
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows, onGap: (g) => gaps.push(g) });
    await sink.write(items(0, 0, 3));
    await sink.write(items(0, 7, 9));
    expect(gaps).toEqual([{ topic: 't', partition: 0, stored: 3, first: 7 }]);
  });

  it('loads records without a position as they come, and fails on an error that is not a conflict, keeping its state', async () => {
    const w = memoryWarehouse();
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    w.failOnce(new Error('warehouse down'));
    await expect(sink.write(items(0, 0, 2))).rejects.toThrow('warehouse down');
    await sink.write([...items(0, 0, 2), { id: 'loose' }]);
    expect(w.rows).toEqual(['t-0-0', 't-0-1', 'loose']);
  });

  it('gives up after maxConflicts conflicts in a row (default 20), having tried that many times', async () => {
    const w = memoryWarehouse();
    let attempts = 0;
    const stubborn: Pick<Warehouse, 'append' | 'positions'> = {
      positions: w.warehouse.positions,
      append: async () => {
        attempts++;
        throw new PositionConflictError([{ topic: 't', partition: 0, expected: null, stored: 0 }]);
      },
    };
    const sink = positionedSink<Item>({ warehouse: stubborn, group: 'g', rows, maxConflicts: 3 });
    await expect(sink.write(items(0, 0, 2))).rejects.toBeInstanceOf(PositionConflictError);
    expect(attempts).toBe(3);
    attempts = 0;
    const byDefault = positionedSink<Item>({ warehouse: stubborn, group: 'g', rows });
    await expect(byDefault.write(items(0, 0, 2))).rejects.toBeInstanceOf(PositionConflictError);
    expect(attempts).toBe(20);
  });

  it('a conflict that clears before maxConflicts: the write is tried again and loads', async () => {
    const w = memoryWarehouse();
    let conflicts = 2;
    const racing: Pick<Warehouse, 'append' | 'positions'> = {
      positions: w.warehouse.positions,
      append: async (load) => {
        if (conflicts-- > 0) throw new PositionConflictError([{ topic: 't', partition: 0, expected: null, stored: null }]);
        return w.warehouse.append(load);
      },
    };
    await positionedSink<Item>({ warehouse: racing, group: 'g', rows, maxConflicts: 3 }).write(items(0, 0, 2));
    expect(w.rows).toEqual(['t-0-0', 't-0-1']);
  });
});

describe('positionedSink() on a warehouse that loads by partition', () => {
  /**
   * Per partition: a positions store and, per table, how far the table already holds rows (as Snowpipe Streaming's
   * channels do); a load that finds a table part-way through its records is refused with `LoadSplitError`.
   */
  function partitionedWarehouse(tableAhead: Map<string, number>, maxRows = Infinity) {
    const loads: { partition: number; from: number | null; to: number; ids: string[] }[] = [];
    const claims: number[][] = [];
    const stored = new Map<number, number>();
    const warehouse: Pick<Warehouse, 'append' | 'positions' | 'claim' | 'loadsByPartition'> = {
      loadsByPartition: true,
      async claim(_group, _topic, partitions) {
        claims.push([...partitions]);
      },
      async append(load) {
        expect(load.positions).toHaveLength(1);
        const [a] = load.positions!;
        if ((stored.get(a!.partition) ?? null) !== a!.from)
          throw new PositionConflictError([{ ...a!, expected: a!.from, stored: stored.get(a!.partition) ?? null }]);
        const ahead = tableAhead.get(`${a!.partition}`);
        if (ahead !== undefined && ahead > (a!.from ?? -1) && ahead < a!.to) throw new LoadSplitError(a!.topic, a!.partition, ahead);
        if (load.tables.reduce((n, t) => n + t.rows.length, 0) > maxRows) throw new LoadSplitError(a!.topic, a!.partition);
        loads.push({ partition: a!.partition, from: a!.from, to: a!.to, ids: load.tables.flatMap((t) => t.rows.map((r) => String(r[0]))) });
        stored.set(a!.partition, a!.to);
      },
      async positions(_group, _topic, partitions) {
        expect(partitions).toBeDefined();
        return new Map(partitions!.flatMap((p) => (stored.has(p) ? [[p, stored.get(p)!] as const] : [])));
      },
    };
    return { warehouse, loads, claims, stored };
  }

  it('loads each partition on its own, claiming assigned partitions first and reading only the partitions it is given', async () => {
    const w = partitionedWarehouse(new Map());
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    await sink.resume('t', [0, 1]);
    await sink.write([...items(0, 0, 3), ...items(1, 0, 2)]);
    expect(w.claims).toEqual([[0, 1]]);
    expect(w.loads).toEqual([
      { partition: 0, from: null, to: 3, ids: items(0, 0, 3).map((i) => i.id) },
      { partition: 1, from: null, to: 2, ids: items(1, 0, 2).map((i) => i.id) },
    ]);
  });

  it('splits a load where a table already holds the first records, and loads the two parts in order', async () => {
    const w = partitionedWarehouse(new Map([['0', 4]]));
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    await sink.write(items(0, 0, 10));
    expect(w.loads.map(({ from, to, ids }) => ({ from, to, n: ids.length }))).toEqual([
      { from: null, to: 4, n: 4 },
      { from: 4, to: 10, n: 6 },
    ]);
    expect(w.stored.get(0)).toBe(10);
  });

  it('after a conflict on one partition, does not load again the partitions already loaded, nor count them skipped', async () => {
    const w = partitionedWarehouse(new Map());
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    await sink.resume('t', [0, 1]);
    w.stored.set(1, 1); // another writer loaded the first record of partition 1
    await sink.write([...items(0, 0, 2), ...items(1, 0, 3)]);
    expect(w.loads.map((l) => [l.partition, l.from, l.to])).toEqual([
      [0, null, 2],
      [1, 1, 3],
    ]);
    expect(sink.skipped).toBe(1);
  });

  it('halves a load the warehouse finds too large, until each part fits; one record too large is a permanent error', async () => {
    const w = partitionedWarehouse(new Map(), 3);
    const sink = positionedSink<Item>({ warehouse: w.warehouse, group: 'g', rows });
    await sink.write(items(0, 0, 10));
    expect(w.loads.every((l) => l.ids.length <= 3)).toBe(true);
    expect(w.loads.flatMap((l) => l.ids)).toEqual(items(0, 0, 10).map((i) => i.id));
    expect(w.loads.map((l) => [l.from, l.to])).toEqual(w.loads.map((l, i) => [i === 0 ? null : w.loads[i - 1]!.to, l.to]));
    expect(w.stored.get(0)).toBe(10);

    const tiny = partitionedWarehouse(new Map(), 0);
    const error = await positionedSink<Item>({ warehouse: tiny.warehouse, group: 'g', rows })
      .write(items(0, 0, 2))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WAREHOUSE_REJECTED', retriable: false });
  });
});
