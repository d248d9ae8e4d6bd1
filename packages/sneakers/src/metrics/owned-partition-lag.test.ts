import { describe, expect, it } from 'vitest';
import { ConsumerMetrics } from './consumer-metrics.js';
import { ownedPartitionLag } from '@sneakpipe/core/metrics';

/** The lag series a registry exposes, as `partition → value`, read from its text exposition as Prometheus would. */
async function exportedLag(metrics: ConsumerMetrics, topic: string): Promise<Record<string, number>> {
  const text = await metrics.registry.metrics();
  const series: Record<string, number> = {};
  for (const m of text.matchAll(/^sneaker_consumer_lag\{topic="([^"]+)",partition="(\d+)"\} (\S+)$/gm))
    if (m[1] === topic) series[m[2]!] = Number(m[3]);
  return series;
}

const group = (...lags: number[]) => lags.map((lag, partition) => ({ partition, lag, endOffset: 0, committed: 0 }));

describe('ownedPartitionLag', () => {
  it('exports only the partitions the member owns, not the whole group', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false });
    ownedPartitionLag(metrics.consumerLag, 't')([0, 2], group(10, 20, 30));
    expect(await exportedLag(metrics, 't')).toEqual({ '0': 10, '2': 30 });
  });

  it('two members of a group together export each partition once, so their sum is the group lag', async () => {
    const a = new ConsumerMetrics({ defaultMetrics: false });
    const b = new ConsumerMetrics({ defaultMetrics: false });
    const lags = group(10, 20, 30);
    ownedPartitionLag(a.consumerLag, 't')([0, 1], lags);
    ownedPartitionLag(b.consumerLag, 't')([2], lags);
    const all = [...Object.entries(await exportedLag(a, 't')), ...Object.entries(await exportedLag(b, 't'))];
    expect(all.map(([p]) => p).sort()).toEqual(['0', '1', '2']);
    expect(all.reduce((sum, [, lag]) => sum + lag, 0)).toBe(60);
  });

  it('removes the series of a partition lost in a rebalance, and adds the ones gained', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false });
    const exportLag = ownedPartitionLag(metrics.consumerLag, 't');
    exportLag([0, 1, 2], group(10, 20, 30));
    expect(await exportedLag(metrics, 't')).toEqual({ '0': 10, '1': 20, '2': 30 });
    exportLag([1], group(11, 21, 31));
    expect(await exportedLag(metrics, 't')).toEqual({ '1': 21 });
    exportLag([0, 2], group(12, 22, 32));
    expect(await exportedLag(metrics, 't')).toEqual({ '0': 12, '2': 32 });
  });

  it('exports nothing while the member owns nothing (before joining, or left out of the assignment)', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false });
    const exportLag = ownedPartitionLag(metrics.consumerLag, 't');
    exportLag([], group(5, 5, 5));
    expect(await exportedLag(metrics, 't')).toEqual({});
    exportLag([1], group(5, 5, 5));
    exportLag([], group(5, 5, 5));
    expect(await exportedLag(metrics, 't')).toEqual({});
    expect(await metrics.registry.metrics()).not.toMatch(/^sneaker_consumer_lag\{/m);
  });

  it('drops an owned partition the lag figures no longer mention, rather than keep its last value', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false });
    const exportLag = ownedPartitionLag(metrics.consumerLag, 't');
    exportLag([0, 1], group(10, 20));
    exportLag([0, 1], group(7));
    expect(await exportedLag(metrics, 't')).toEqual({ '0': 7 });
  });

  it('leaves the series of other topics alone', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false });
    ownedPartitionLag(metrics.consumerLag, 'other')([0], group(99));
    const exportLag = ownedPartitionLag(metrics.consumerLag, 't');
    exportLag([0], group(1));
    exportLag([], group(1));
    expect(await exportedLag(metrics, 'other')).toEqual({ '0': 99 });
    expect(await exportedLag(metrics, 't')).toEqual({});
  });
});
