import type { Decoded, Sink } from '@sneakpipe/core';
import type { OrderEvent } from '@sneakpipe/sneakers';
import { describe, expect, it } from 'vitest';
import { decodedEvents } from './warehouse-contract.js';

/**
 * What any `Sink` of decoded events must do, checked through a read-back of
 * what it stored: keep every valid event once (replays and in-batch duplicates
 * add nothing), keep every dead letter with its reason, and resolve only when
 * the data can be read back.
 */
export function describeSinkContract(
  name: string,
  /** Opens the sink on new storage, or, given a previous instance's `storage`, on the same storage (a restart). */
  open: (
    storage?: string,
  ) => Promise<{ storage: string; sink: Sink<Decoded<OrderEvent>>; readEvents(): Promise<string[]>; readDeadLetters(): Promise<string[]> }>,
): void {
  describe(`Sink contract: ${name}`, () => {
    it('stores each valid event once, across replays and duplicates inside a batch', async () => {
      const { sink, readEvents } = await open();
      const batch = decodedEvents(500, 3);
      await sink.write(batch);
      await sink.write([...batch.slice(0, 100), ...batch.slice(0, 100)]);
      const ids = await readEvents();
      expect(ids.length).toBe(500);
      expect(new Set(ids)).toEqual(new Set(batch.map((b) => b.value.event_id)));
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
      const batch = decodedEvents(50, 4);
      await first.sink.write(batch);
      const again = await open(first.storage);
      await again.sink.write(batch);
      expect((await again.readEvents()).filter((id) => batch.some((b) => b.value.event_id === id)).length).toBe(50);
    });
  });
}
