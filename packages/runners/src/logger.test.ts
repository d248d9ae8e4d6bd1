import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { logProcessWarnings } from './logger.js';

const listeners = process.listeners('warning');
afterEach(() => {
  process.removeAllListeners('warning');
  for (const listener of listeners) process.on('warning', listener);
});

/** A debug-level logger whose lines are collected, parsed. */
function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const nextWarning = () => new Promise((resolve) => setImmediate(resolve));

describe('logProcessWarnings', () => {
  it('logs a process warning as one warn line instead of Node printing it', async () => {
    const { logger, lines } = collectingLogger();
    logProcessWarnings(logger);
    expect(process.listeners('warning')).toHaveLength(1);
    process.emitWarning('this option goes away in 2.0', { type: 'DeprecationWarning', code: 'SNP001' });
    await nextWarning();
    expect(lines).toMatchObject([
      { level: 40, warning: 'DeprecationWarning', code: 'SNP001', msg: 'DeprecationWarning: this option goes away in 2.0' },
    ]);
  });

  it("logs kafkajs's negative request-queue delay on Node 24 at debug level only", async () => {
    const { logger, lines } = collectingLogger();
    logProcessWarnings(logger);
    const warning = Object.assign(new Error('-1796068666348 is a negative number.\nTimeout duration was set to 1.'), {
      name: 'TimeoutNegativeWarning',
      stack:
        'TimeoutNegativeWarning: …\n    at RequestQueue.scheduleCheckPendingRequests (kafkajs/src/network/requestQueue/index.js:317:37)',
    });
    process.emitWarning(warning);
    await nextWarning();
    expect(lines).toMatchObject([{ level: 20, warning: 'TimeoutNegativeWarning' }]);
  });
});
