import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderEventGenerator, OrderEventSchema } from '@sneakpipe/core';
import { expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { queryDuckDbFile } from '../test-support/duckdb.js';
import { report } from '../test-support/faults.js';
import { kafkaBootstrap, readTopic, testKafka, uniqueTopic } from '../test-support/kafka.js';

it('hostile input between good events: each record is loaded verbatim or dead-lettered with a reason; every good event loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-hostile-'));
  const warehouse = join(dir, 'w.duckdb');
  const topic = uniqueTopic('hostile');
  const env = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic };
  try {
    await runCli(['produce', '--count', '3000', '--seed', '1'], env);
    const good = new OrderEventGenerator({ seed: 77, start: Date.now() - 3_600_000, clock: () => Date.now() - 60_000 }).draw()!;
    const j = (patch: Record<string, unknown>, drop: string[] = []) => {
      const e: Record<string, unknown> = { ...good, ...patch };
      for (const k of drop) delete e[k];
      return Buffer.from(JSON.stringify(e));
    };
    // [name, bytes, expected: 'dead' with a reason pattern, or 'loaded' verbatim]
    const corpus: Array<[string, Buffer, RegExp | 'loaded']> = [
      ['invalid JSON', Buffer.from('{"event_id": "h1", "brand": '), /invalid JSON/],
      ['truncated bytes', j({ event_id: 'h2' }).subarray(0, 57), /invalid JSON/],
      ['non-UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /UTF-8/],
      ['wrong types', j({ event_id: 'h3', quantity: 'two', unit_price: '120' }), /quantity|unit_price/],
      ['missing fields', j({ event_id: 'h4' }, ['brand', 'order_id']), /brand|order_id/],
      ['extra fields (accepted, stripped)', j({ event_id: 'h5', coupon: 'BLACKFRIDAY', nested: { a: 1 } }), 'loaded'],
      ['negative quantity', j({ event_id: 'h6', quantity: -1, total_amount: -good.unit_price }), /quantity/],
      ['zero quantity', j({ event_id: 'h7', quantity: 0, total_amount: 0 }), /quantity/],
      ['total ≠ price × quantity', j({ event_id: 'h8', total_amount: good.total_amount + 10 }), /total_amount/],
      ['unknown brand', j({ event_id: 'h9', brand: 'Crocs' }), /unknown brand/],
      ['timestamp in year 9999', j({ event_id: 'h10', timestamp: '9999-12-31T23:59:59Z' }), /timestamp/],
      ['1 MB message', j({ event_id: 'h11', customer_name: 'x'.repeat(1024 * 1024) }), /customer_name/],
      ['SQL-looking name (valid)', j({ event_id: 'h12', customer_name: "Robert'); DROP TABLE STREAMING_ORDERS;--" }), 'loaded'],
      ['emoji name (valid)', j({ event_id: 'h13', customer_name: 'Zoë 👟🔥 Ångström' }), 'loaded'],
      ['empty message', Buffer.alloc(0), /invalid JSON/],
      ['JSON null', Buffer.from('null'), /schema/],
    ];
    const producer = testKafka().producer();
    await producer.connect();
    for (const [, value] of corpus) await producer.send({ topic, messages: [{ value }] });
    await producer.disconnect();
    await runCli(['produce', '--count', '2000', '--seed', '2'], env);

    const consumed = await runCli(['consume', '--group', `g-${topic}`, '--warehouse', warehouse, '--exit-when-idle', '3000'], env);
    expect(consumed.code, consumed.stderr.slice(-2000)).toBe(0);
    const deadExpected = corpus.filter(([, , e]) => e !== 'loaded');
    const loadedExpected = corpus.filter(([, , e]) => e === 'loaded');
    const [[rows, distinct]] = (await queryDuckDbFile(
      warehouse,
      'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS',
    )) as [[bigint, bigint]];
    expect(Number(rows)).toBe(5000 + loadedExpected.length);
    expect(Number(distinct)).toBe(Number(rows));
    for (const [name, bytes] of loadedExpected) {
      const sent = OrderEventSchema.parse(JSON.parse(bytes.toString('utf8')));
      const [[stored]] = (await queryDuckDbFile(
        warehouse,
        `SELECT CUSTOMER_NAME FROM STG.STREAMING_ORDERS WHERE EVENT_ID = '${sent.event_id}'`,
      )) as [[string]];
      expect(stored, name).toBe(sent.customer_name);
    }
    const dead = (await queryDuckDbFile(warehouse, 'SELECT REASON, RAW_VALUE FROM STG.DEAD_LETTERS')) as [string, Uint8Array][];
    expect(dead).toHaveLength(deadExpected.length);
    for (const [name, bytes, reason] of deadExpected) {
      const row = dead.find(([, raw]) => Buffer.from(raw).equals(bytes));
      expect(row, name).toBeDefined();
      expect(row![0], name).toMatch(reason as RegExp);
    }
    const dlq = await readTopic(`${topic}.dlq`, deadExpected.length);
    expect(dlq).toHaveLength(deadExpected.length);
    expect(dlq.every((m) => m.headers['sneakpipe.dlq.reason'])).toBe(true);
    const peak = /"peakRss":(\d+)/.exec(consumed.stderr)?.[1];
    report({
      case: 'hostile input',
      events: 5000 + corpus.length,
      faults: `${deadExpected.length} invalid + ${loadedExpected.length} odd-but-valid records`,
      lost: 0,
      duplicated: Number(rows) - Number(distinct),
      peakRssMb: peak ? Math.round(Number(peak) / 2 ** 20) : 'n/a',
      recoverSeconds: 'n/a (never failed)',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
