#!/usr/bin/env node
// Writes docs/order-event.schema.json, the JSON Schema of the order event,
// generated from the zod schema that judges every record (OrderEventSchema).
// `npm run schema` after changing the schema; a test fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { orderEventJsonSchema } from '@sneakpipe/sneakers';

const file = new URL('../docs/order-event.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(orderEventJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
