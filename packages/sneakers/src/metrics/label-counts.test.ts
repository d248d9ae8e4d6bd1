import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelCounts } from './label-counts.js';

describe('LabelCounts', () => {
  it('adds its counts to the counter when the counter is read, once each', async () => {
    const byBrand = new LabelCounts();
    const registry = new Registry();
    const sent: Counter<'brand'> = new Counter({
      name: 'sent_total',
      help: 'sent',
      labelNames: ['brand'],
      registers: [registry],
      collect: () => byBrand.addTo(sent),
    });
    for (const brand of ['Nike', 'Asics', 'Nike']) byBrand.count(brand);
    const read = async () => (await sent.get()).values.map((v) => [v.labels.brand, v.value]);
    expect(await read()).toEqual([
      ['Nike', 2],
      ['Asics', 1],
    ]);
    // Read again with nothing new: the same totals, not doubled.
    expect(await read()).toEqual([
      ['Nike', 2],
      ['Asics', 1],
    ]);
    byBrand.count('Asics');
    expect(await registry.metrics()).toMatch(/sent_total\{brand="Asics"\} 2/);
  });
});
