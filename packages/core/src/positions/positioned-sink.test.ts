import { describe, expect, it } from 'vitest';
import type { RecordPosition } from '../contracts/records.js';
import { PositionConflictError, type Warehouse, type WarehouseLoad } from '../contracts/warehouse.js';
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
