import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it('names the most specific cause of a retrying driver’s aggregate error, with its code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const aggregate = new AggregateError([new Error('first try'), new Error('network', { cause: refused })], 'metadata failed 9 times.');
    expect(describeError(aggregate)).toBe('metadata failed 9 times. (connect ECONNREFUSED 127.0.0.1:1)');
  });

  it('keeps one line, bounded, with a code the message lacks', () => {
    const error = Object.assign(new Error(`bad\n${'x'.repeat(1000)}`), { code: 'E_BAD' });
    expect(describeError(error)).toBe('bad [E_BAD]');
    expect(describeError(new Error('y'.repeat(1000))).length).toBe(240);
    expect(describeError('plain text')).toBe('plain text');
  });
});
