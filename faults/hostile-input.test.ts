import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderEventGenerator } from '@sneakpipe/sneakers';
import { expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { report } from '@sneakpipe/test-support/faults';
import { kafkaBootstrap, readTopic, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';

it('hostile input between good events: each record is loaded verbatim or dead-lettered with a reason; every good event loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-hostile-'));
  const warehouse = join(dir, 'w.duckdb');
  const topic = uniqueTopic('hostile');
  const env = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic };
  try {
    const before = await runCli(['produce', '--count', '3000', '--seed', '1'], env);
    expect(before.code, before.stderr.slice(-2000)).toBe(0);
    const good = new OrderEventGenerator({ seed: 77, start: Date.now() - 3_600_000, clock: () => Date.now() - 60_000 }).draw()!;
    const j = (patch: Record<string, unknown>, drop: string[] = []) => {
      const e: Record<string, unknown> = { ...good, ...patch };
      for (const k of drop) delete e[k];
      return Buffer.from(JSON.stringify(e));
    };
    // The original system's example message, verbatim (no event_id; a model the catalog does not list).
    const original =
      '{"event_type":"order_created","timestamp":"2025-01-15T14:30:45.123Z","order_id":12345,"customer_name":"Marie Dubois","customer_city":"Paris","brand":"Nike","model":"Air Max 90","color":"White","size":"42","unit_price":120.50,"total_amount":241.00,"quantity":2}';
    type Loaded = { orderId: number; flags: string | null; extra: Record<string, unknown> | null };
    const loaded = (orderId: number, flags: string | null = null, extra: Record<string, unknown> | null = null): Loaded => ({
      orderId,
      flags,
      extra,
    });
    // [name, bytes, expected: 'dead' with a reason pattern, or loaded verbatim with its flags and extra fields]
    const corpus: Array<[string, Buffer, RegExp | Loaded]> = [
      ['invalid JSON', Buffer.from('{"event_id": "h1", "brand": '), /invalid JSON/],
      ['truncated bytes', j({ event_id: 'h2' }).subarray(0, 57), /invalid JSON/],
      ['non-UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /UTF-8/],
      ['wrong types', j({ event_id: 'h3', quantity: 'two', unit_price: '120' }), /quantity|unit_price/],
      ['missing fields', j({ event_id: 'h4' }, ['brand', 'order_id']), /brand|order_id/],
      [
        'extra fields (kept)',
        j({ event_id: 'h5', order_id: 9_000_005, coupon: 'BLACKFRIDAY', nested: { a: 1 } }),
        loaded(9_000_005, null, { coupon: 'BLACKFRIDAY', nested: { a: 1 } }),
      ],
      ['negative quantity', j({ event_id: 'h6', quantity: -1, total_amount: -good.unit_price }), /quantity/],
      ['zero quantity', j({ event_id: 'h7', quantity: 0, total_amount: 0 }), /quantity/],
      [
        'total ≠ price × quantity (a discount: flagged)',
        j({ event_id: 'h8', order_id: 9_000_008, total_amount: good.total_amount + 10 }),
        loaded(9_000_008, 'total_mismatch'),
      ],
      ['unknown brand (flagged)', j({ event_id: 'h9', order_id: 9_000_009, brand: 'Crocs' }), loaded(9_000_009, 'unknown_brand')],
      ['timestamp in year 9999', j({ event_id: 'h10', timestamp: '9999-12-31T23:59:59Z' }), /timestamp/],
      ['1 MB message', j({ event_id: 'h11', customer_name: 'x'.repeat(1024 * 1024) }), /customer_name/],
      [
        'SQL-looking name (valid)',
        j({ event_id: 'h12', order_id: 9_000_012, customer_name: "Robert'); DROP TABLE STREAMING_ORDERS;--" }),
        loaded(9_000_012),
      ],
      ['emoji name (valid)', j({ event_id: 'h13', order_id: 9_000_013, customer_name: 'Zoë 👟🔥 Ångström' }), loaded(9_000_013)],
      ['empty message', Buffer.alloc(0), /invalid JSON/],
      ['JSON null', Buffer.from('null'), /schema/],
      ["the original system's example message", Buffer.from(original), loaded(12345, 'unknown_model')],
      [
        'no event_id, Python isoformat time (flagged)',
        j({ order_id: 9_000_015, timestamp: '2025-01-15T14:30:45.123456' }, ['event_id']),
        loaded(9_000_015, 'timestamp_without_zone'),
      ],
      ['blank brand', j({ event_id: 'h16', brand: '   ' }), /brand/],
      ['negative price', j({ event_id: 'h17', unit_price: -5 }), /unit_price/],
    ];
    const producer = testKafka().producer();
    await producer.connect();
    for (const [, value] of corpus) await producer.send({ topic, messages: [{ value }] });
    await producer.disconnect();
    const after = await runCli(['produce', '--count', '2000', '--seed', '2'], env);
    expect(after.code, after.stderr.slice(-2000)).toBe(0);

    const consumed = await runCli(['consume', '--group', `g-${topic}`, '--warehouse', warehouse, '--exit-when-idle', '3000'], env);
    const deadExpected = corpus.filter((c): c is [string, Buffer, RegExp] => c[2] instanceof RegExp);
    const loadedExpected = corpus.filter((c): c is [string, Buffer, Loaded] => !(c[2] instanceof RegExp));
    const [[rows, distinct]] = (await queryDuckDbFile(
      warehouse,
      'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS',
    )) as [[bigint, bigint]];
    const dead = (await queryDuckDbFile(warehouse, 'SELECT REASON, RAW_VALUE FROM STG.DEAD_LETTERS')) as [string, Uint8Array][];
    // What was measured, printed whether or not the asserts below pass.
    const peak = /"peakRss":(\d+)/.exec(consumed.stderr)?.[1];
    report({
      case: 'hostile input',
      events: 5000 + corpus.length,
      faults: `${deadExpected.length} invalid + ${loadedExpected.length} odd-but-valid records`,
      lost: 5000 + corpus.length - Number(distinct) - dead.length,
      duplicated: Number(rows) - Number(distinct),
      peakRssMb: peak ? Math.round(Number(peak) / 2 ** 20) : 'n/a',
      recoverSeconds: 'n/a (never failed)',
    });
    expect(consumed.code, consumed.stderr.slice(-2000)).toBe(0);
    expect(Number(rows)).toBe(5000 + loadedExpected.length);
    expect(Number(distinct)).toBe(Number(rows));
    for (const [name, bytes, want] of loadedExpected) {
      const sent = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      const found = (await queryDuckDbFile(
        warehouse,
        `SELECT CUSTOMER_NAME, MODEL, CAST(TOTAL_AMOUNT AS DOUBLE), QUALITY_FLAGS, CAST(EXTRA_FIELDS AS VARCHAR), EVENT_ID FROM STG.STREAMING_ORDERS WHERE ORDER_ID = ${want.orderId}`,
      )) as [string, string, number, string | null, string | null, string][];
      expect(found, name).toHaveLength(1);
      const [customer, model, total, flags, extra, eventId] = found[0]!;
      expect([customer, model, total], name).toEqual([sent.customer_name, sent.model, sent.total_amount]);
      expect(flags, name).toBe(want.flags);
      expect(extra === null ? null : JSON.parse(extra), name).toEqual(want.extra);
      expect(eventId, name).toEqual(sent.event_id ?? expect.stringMatching(new RegExp(`^${topic}:\\d+:\\d+$`)));
    }
    expect(dead).toHaveLength(deadExpected.length);
    for (const [name, bytes, reason] of deadExpected) {
      const row = dead.find(([, raw]) => Buffer.from(raw).equals(bytes));
      expect(row, name).toBeDefined();
      expect(row![0], name).toMatch(reason);
    }
    // The whole dead-letter topic, to its end: exactly the invalid records, each once, with its reason.
    const dlq = await readTopic(`${topic}.dlq`);
    const hex = (b: Buffer | Uint8Array | null) => Buffer.from(b ?? []).toString('hex');
    expect(dlq.map((m) => hex(m.value)).sort()).toEqual(deadExpected.map(([, bytes]) => hex(bytes)).sort());
    for (const [name, bytes, reason] of deadExpected) {
      const message = dlq.find((m) => hex(m.value) === hex(bytes))!;
      expect(message.headers['sneakpipe.dlq.reason'], name).toMatch(reason);
      expect(message.headers['sneakpipe.dlq.source.topic'], name).toBe(topic);
    }
    const sources = dlq.map((m) => `${m.headers['sneakpipe.dlq.source.partition']}:${m.headers['sneakpipe.dlq.source.offset']}`);
    expect(new Set(sources).size).toBe(deadExpected.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
