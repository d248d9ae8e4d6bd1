import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InMemoryBroker } from './in-memory-broker.js';
import { murmur2 } from './murmur2.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('murmur2 partitioner', () => {
  it("matches Kafka's Utils.murmur2 on Kafka's own test vectors", () => {
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect(murmur2(enc(key)), key).toBe(hash);
  });
});

describe('InMemoryBroker', () => {
  it('keeps each key in one partition, in order, with consecutive offsets', () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 3);
    const keys = Array.from({ length: 300 }, (_, i) => `order-${i % 17}`);
    const positions = broker.send(
      't',
      keys.map((k, i) => ({ key: enc(k), value: enc(String(i)) })),
    );
    const partitionOfKey = new Map<string, number>();
    positions.forEach((p, i) => {
      const k = keys[i]!;
      expect(partitionOfKey.get(k) ?? p.partition).toBe(p.partition);
      partitionOfKey.set(k, p.partition);
    });
    expect(broker.endOffsets('t').reduce((a, b) => a + b, 0)).toBe(300);
    expect(new Set(partitionOfKey.values()).size).toBeGreaterThan(1);
  });

  it('spreads keyless records round-robin', () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 3);
    broker.send(
      't',
      Array.from({ length: 9 }, () => ({ key: null, value: enc('x') })),
    );
    expect(broker.endOffsets('t')).toEqual([3, 3, 3]);
  });

  it('refuses unknown topics and conflicting partition counts', () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 3);
    expect(() => broker.createTopic('t', 3)).not.toThrow();
    expect(() => broker.createTopic('t', 4)).toThrow(/3 partitions/);
    expect(() => broker.send('nope', [])).toThrow(/unknown topic/);
  });

  it('resumes a group from its committed offsets', async () => {
    const broker = new InMemoryBroker({ dropCommitted: false });
    broker.createTopic('t', 1);
    broker.send(
      't',
      Array.from({ length: 10 }, (_, i) => ({ key: null, value: enc(String(i)) })),
    );
    const first = broker.consumer({ groupId: 'g', topic: 't' });
    const firstFour = await firstValueFrom(first.records().pipe(take(4), toArray()));
    await first.commit([{ topic: 't', partition: 0, offset: firstFour.at(-1)!.offset + 1 }]);
    await first.close();
    const second = broker.consumer({ groupId: 'g', topic: 't' });
    second.finish();
    const rest = await lastValueFrom(second.records().pipe(toArray()));
    expect(rest.map((r) => dec(r.value))).toEqual(['4', '5', '6', '7', '8', '9']);
    expect(broker.lag('g', 't')).toBe(6);
  });

  it('shares partitions between the members of a group, and hands everything to one of them', async () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 4);
    broker.send(
      't',
      Array.from({ length: 400 }, (_, i) => ({ key: enc(String(i)), value: enc(String(i)) })),
    );
    const a = broker.consumer({ groupId: 'g', topic: 't' });
    const b = broker.consumer({ groupId: 'g', topic: 't' });
    const seenA: number[] = [];
    const seenB: number[] = [];
    a.records().subscribe((r) => seenA.push(Number(dec(r.value))));
    b.records().subscribe((r) => seenB.push(Number(dec(r.value))));
    expect([...a.assignment, ...b.assignment].sort()).toEqual([0, 1, 2, 3]);
    expect(a.assignment.length).toBe(2);
    // Until all 400 are handed out (bounded: it says how many each member had by then).
    for (const deadline = Date.now() + 10_000; seenA.length + seenB.length < 400; await new Promise((r) => setImmediate(r))) {
      if (Date.now() > deadline) throw new Error(`after 10 s: ${seenA.length} handed to a, ${seenB.length} to b, of 400`);
    }
    expect(seenA.length).toBeGreaterThan(0);
    expect(seenB.length).toBeGreaterThan(0);
    expect([...seenA, ...seenB].sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    await a.close();
    expect(b.assignment).toEqual([0, 1, 2, 3]);
    await b.close();
  });

  it('drops records once every group has committed past them', async () => {
    const broker = new InMemoryBroker();
    broker.createTopic('t', 1);
    broker.send(
      't',
      Array.from({ length: 5000 }, () => ({ key: null, value: enc('x') })),
    );
    const c = broker.consumer({ groupId: 'g', topic: 't' });
    c.finish();
    const all = await lastValueFrom(c.records().pipe(toArray()));
    await c.commit([{ topic: 't', partition: 0, offset: all.length }]);
    const late = broker.consumer({ groupId: 'late', topic: 't' });
    late.finish();
    expect(await lastValueFrom(late.records().pipe(toArray()))).toEqual([]);
  });
});
