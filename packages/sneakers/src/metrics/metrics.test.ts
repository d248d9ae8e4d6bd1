import { from, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type Decoded, instrument, positionedSink } from '@sneakpipe/core';
import type { OrderEvent, ReceivedOrderEvent } from '../domain/order-event.js';
import { DEFAULT_CATALOG } from '../domain/catalog.js';
import { createOrderEventQualityCheck, orderEventQualityFlags } from '../domain/order-event-quality.js';
import { OrderEventGenerator } from '../generator/order-event-generator.js';
import { ConsumerMetrics, deadLetterCategory } from './consumer-metrics.js';
import { ProducerMetrics } from './producer-metrics.js';

async function value(metrics: { registry: { getSingleMetric(name: string): unknown } }, name: string, labels: Record<string, string> = {}) {
  const metric = metrics.registry.getSingleMetric(name) as {
    get(): Promise<{ values: { value: number; labels: Record<string, string>; metricName?: string }[] }>;
  };
  const { values } = await metric.get();
  const match = values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x) && !v.metricName?.endsWith('_bucket'));
  return match.reduce((s, v) => s + v.value, 0);
}

const now = Date.UTC(2025, 0, 1, 12);
const events = [...new OrderEventGenerator({ seed: 1, start: now - 3_600_000, end: now })];

describe("metrics with the original system's names", () => {
  it('producer: counts sent orders by brand, send latency, and the per-minute rate', async () => {
    const metrics = new ProducerMetrics({ defaultMetrics: false, now: () => now });
    const items = events.map((item) => ({ key: null, value: new Uint8Array(), item, sizeBytes: 0 }));
    await lastValueFrom(from([{ items, attempts: 1, durationMs: 12 }]).pipe(instrument(metrics, 'sent')));
    metrics.error();
    const nike = events.filter((e) => e.brand === 'Nike').length;
    expect(await value(metrics, 'sneaker_orders_sent_total', { brand: 'Nike' })).toBe(nike);
    expect(await value(metrics, 'sneaker_orders_sent_total')).toBe(events.length);
    expect(await value(metrics, 'sneaker_kafka_errors_total')).toBe(1);
    expect(await value(metrics, 'sneaker_orders_per_minute')).toBe(events.length);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/sneaker_orders_sent_duration_seconds_count 1/);
  });

  it('consumer: consumed by brand, dead letters by bounded reason, loaded total, batch size and end-to-end latency', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false, now: () => now });
    const decoded: Decoded<OrderEvent>[] = [
      ...events.map((value) => ({ ok: true as const, value, sizeBytes: 1 })),
      { ok: false, reason: 'schema: quantity: Too small', raw: new Uint8Array(), sizeBytes: 0, failedAt: now },
      { ok: false, reason: 'invalid JSON: Unexpected end', raw: new Uint8Array(), sizeBytes: 0, failedAt: now },
    ];
    await lastValueFrom(from(decoded).pipe(instrument(metrics, 'consumed')));
    await lastValueFrom(from([{ items: decoded, attempts: 1, durationMs: 250 }]).pipe(instrument(metrics, 'loaded')));
    expect(await value(metrics, 'sneaker_orders_consumed_total')).toBe(events.length);
    expect(await value(metrics, 'sneaker_dead_letters_total', { reason: 'schema' })).toBe(1);
    expect(await value(metrics, 'sneaker_dead_letters_total', { reason: 'invalid_json' })).toBe(1);
    expect(await value(metrics, 'sneaker_orders_loaded_snowflake_total')).toBe(events.length);
    expect(await value(metrics, 'sneaker_orders_processing_per_minute')).toBe(events.length);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/sneaker_snowflake_load_duration_seconds_sum 0.25/);
    expect(text).toMatch(new RegExp(`sneaker_load_batch_size_sum ${decoded.length}`));
    expect(text).toMatch(new RegExp(`sneaker_end_to_end_latency_seconds_count ${events.length}`));
  });

  it('consumer: records the warehouse already had count as skipped, not loaded; flags count when loaded', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false, now: () => now });
    // The last two are on a partition the warehouse already holds up to offset 10: the sink drops them as replays.
    const decoded: Decoded<ReceivedOrderEvent>[] = events.slice(0, 4).map((value, i) => ({
      ok: true as const,
      value: i === 0 ? { ...value, model: 'Air Max 90', total_amount: value.total_amount + 1 } : value,
      sizeBytes: 1,
      position: { topic: 't', partition: i < 2 ? 0 : 1, offset: i },
    }));
    const sink = positionedSink<Decoded<ReceivedOrderEvent>>({
      warehouse: { append: async () => undefined, positions: async () => new Map([[1, 10]]) },
      group: 'g',
      rows: () => [],
    });
    await sink.write(decoded);
    expect(sink.skipped).toBe(2);
    metrics.loaded({ items: decoded, attempts: 1, durationMs: 1 });
    expect(await value(metrics, 'sneaker_records_skipped_total')).toBe(2);
    expect(await value(metrics, 'sneaker_orders_loaded_snowflake_total')).toBe(2);
    expect(await value(metrics, 'sneaker_orders_flagged_total', { flag: 'unknown_model' })).toBe(1);
    expect(await value(metrics, 'sneaker_orders_flagged_total', { flag: 'total_mismatch' })).toBe(1);
  });

  it("consumer: counts the flags of the sink's own quality check (a shop's catalog), not the default one", async () => {
    // The shop sells a colour the default catalog does not know, and not one size that the default catalog has.
    const dropped = events[1]!.size;
    const shop = createOrderEventQualityCheck({
      ...DEFAULT_CATALOG,
      colors: [...DEFAULT_CATALOG.colors, 'Volt'],
      sizes: DEFAULT_CATALOG.sizes.filter((s) => s.size !== dropped),
    });
    const metrics = new ConsumerMetrics({ defaultMetrics: false, now: () => now, qualityFlags: shop });
    const volt = { ...events[0]!, color: 'Volt', size: events.find((e) => e.size !== dropped)!.size };
    const oddSize = events[1]!;
    expect(orderEventQualityFlags(volt)).toEqual(['unknown_color']);
    expect(orderEventQualityFlags(oddSize)).toEqual([]);
    expect(shop(volt)).toEqual([]);
    expect(shop(oddSize)).toEqual(['unknown_size']);
    metrics.loaded({ items: [volt, oddSize].map((value) => ({ ok: true as const, value, sizeBytes: 1 })), attempts: 1, durationMs: 1 });
    expect(await value(metrics, 'sneaker_orders_flagged_total', { flag: 'unknown_color' })).toBe(0);
    expect(await value(metrics, 'sneaker_orders_flagged_total', { flag: 'unknown_size' })).toBe(1);
    expect(await value(metrics, 'sneaker_orders_flagged_total')).toBe(1);
  });

  it('keeps dead-letter labels short and bounded', () => {
    expect(deadLetterCategory({ reason: 'not valid UTF-8' })).toBe('not_valid_utf_8');
    expect(deadLetterCategory({ reason: `${'x'.repeat(100)}: y` })).toHaveLength(32);
    expect(deadLetterCategory({ reason: ':::' })).toBe('unknown');
  });

  it('instrument() refuses an unknown stage', () => {
    expect(() => instrument(new ConsumerMetrics({ defaultMetrics: false }), 'nope' as 'consumed')).toThrow(/nope/);
  });
});
