import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '@sneakpipe/test-support/repo';
import { orderEventJsonSchema } from './order-event.js';

describe('docs/order-event.schema.json', () => {
  it('is the JSON Schema generated from OrderEventSchema (run `npm run schema` after changing the schema)', () => {
    const committed = JSON.parse(readFileSync(repoPath('docs/order-event.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(orderEventJsonSchema());
  });
});
