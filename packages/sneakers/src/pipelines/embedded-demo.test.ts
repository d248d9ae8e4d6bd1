import { describe, expect, it } from 'vitest';
import { runEmbeddedPipeline } from './embedded-demo.js';

describe('the embedded pipeline', () => {
  // Users run the build, where the producer's thread entry sits next to the pipeline; run from the sources, the
  // tests must take the same path (the build's entry), not quietly generate on the main thread.
  it('generates on a thread of its own by default, as a build does, also from the TypeScript sources', async () => {
    let written = 0;
    const run = await runEmbeddedPipeline({ events: 2_000, seed: 5, sink: { write: async (batch) => void (written += batch.length) } });
    expect(run.producerOnOwnThread).toBe(true);
    expect([run.produced, run.loaded + run.deadLetters, written]).toEqual([2_000, 2_000, 2_000]);
  });

  it('generates on the main thread when asked', async () => {
    const run = await runEmbeddedPipeline({ events: 2_000, seed: 5, producerThread: false, sink: { write: async () => undefined } });
    expect(run.producerOnOwnThread).toBe(false);
    expect(run.produced).toBe(2_000);
  });
});
