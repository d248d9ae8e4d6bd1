import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSinkContract } from '@sneakpipe/core/testing';
import { OrderEventGenerator, type ReceivedOrderEvent } from '@sneakpipe/sneakers';
import { afterAll } from 'vitest';
import { JsonLinesSink } from './custom-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-custom-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The records the suite writes: generated orders with positions, recognised by their event id. */
const orderEvents = {
  make(count: number, seed: number) {
    const generator = new OrderEventGenerator({ seed, start: Date.UTC(2025, 0, 1), customers: 200 });
    return Array.from({ length: count }, (_, i) => ({
      ok: true as const,
      value: generator.draw()! as ReceivedOrderEvent,
      sizeBytes: 300,
      position: { topic: 'sneaker-orders', partition: i % 3, offset: Math.floor(i / 3) },
    }));
  },
  idOf: (event: ReceivedOrderEvent) => event.event_id!,
};

let n = 0;
describeSinkContract(
  'JsonLinesSink (examples/custom-sink.ts)',
  async (storage) => {
    const base = storage ?? join(dir, `sink-${n++}`);
    const events = `${base}.jsonl`;
    const dead = `${base}.dead.jsonl`;
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
    return {
      storage: base,
      sink: new JsonLinesSink(events, dead),
      readEvents: async () => read(events).map((l) => (JSON.parse(l) as { id: string }).id),
      readDeadLetters: async () => read(dead),
    };
  },
  orderEvents,
);
