import { describe, expect, it } from 'vitest';
import type { Decoded, ValidRecord } from '../contracts/records.js';
import type { Sink } from '../contracts/sink.js';

/** What the sink contract suite opens: a sink, its storage, and a read-back of what it stored. */
export interface SinkUnderTest<T> {
  /** Names the storage, so that `open(storage)` reopens the same one (a restart). */
  readonly storage: string;
  readonly sink: Sink<Decoded<T>>;
  /** The ids of the records the sink stored, one per stored record (duplicates included). */
  readEvents(): Promise<string[]>;
  /** The dead letters the sink stored, each as text that includes its reason. */
  readDeadLetters(): Promise<string[]>;
}

/** The records the sink contract suite writes, and how it recognises them once stored. */
export interface SinkContractRecords<T> {
  /** `count` valid records with positions, the same ones for the same `seed`, with ids of their own for each seed. */
  make(count: number, seed: number): ValidRecord<T>[];
  /** The id a record is stored under (what `readEvents` answers for it). */
  idOf(value: T): string;
}

/**
 * What any `Sink` of decoded records must do, checked through a read-back of
 * what it stored: keep every valid record once (replays and in-batch duplicates
 * add nothing), keep every dead letter with its reason, and resolve only when
 * the data can be read back.
 *
 * @param open Opens the sink on new storage, or, given a previous instance's `storage`, on the same storage (a restart).
 * @param records The records to write (at least 500 distinct ones per seed).
 */
export function describeSinkContract<T>(
  name: string,
  open: (storage?: string) => Promise<SinkUnderTest<T>>,
  records: SinkContractRecords<T>,
): void {
  describe(`Sink contract: ${name}`, () => {
    it('stores each valid event once, across replays and duplicates inside a batch', async () => {
      const { sink, readEvents } = await open();
      const batch = records.make(500, 3);
      await sink.write(batch);
      await sink.write([...batch.slice(0, 100), ...batch.slice(0, 100)]);
      const ids = await readEvents();
      expect(ids.length).toBe(500);
      expect(new Set(ids)).toEqual(new Set(batch.map((b) => records.idOf(b.value))));
    });

    it('keeps dead letters with their reason', async () => {
      const { sink, readDeadLetters } = await open();
      await sink.write([
        { ok: false, reason: 'invalid JSON: unexpected end', raw: new Uint8Array([123]), sizeBytes: 1, failedAt: Date.now() },
      ]);
      expect((await readDeadLetters()).some((r) => r.includes('invalid JSON'))).toBe(true);
    });

    it('survives a restart: a new instance on the same storage still dedupes', async () => {
      const first = await open();
      const batch = records.make(50, 4);
      await first.sink.write(batch);
      const again = await open(first.storage);
      await again.sink.write(batch);
      expect((await again.readEvents()).filter((id) => batch.some((b) => records.idOf(b.value) === id)).length).toBe(50);
    });
  });
}
