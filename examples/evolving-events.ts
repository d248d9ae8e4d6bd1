/**
 * Example: events whose producers add fields as they go — schema evolution
 * (docs/schema-evolution.md) turns each new field into a typed column of
 * `SIGNUPS`, added before the load that first carries it; a value that does
 * not fit its column stays in `EXTRA_FIELDS`, its row flagged `schema_clash`.
 *
 * Sign-ups are published to the in-process broker in three waves: the first
 * with only the fields the table defines, the second with `plan` (text) and
 * `newsletter` (boolean), the third with a `plan` that is a number. Then they
 * are consumed into DuckDB exactly once, with `tableSink({ schemaEvolution:
 * true })`: the row maps the fields it knows and puts the others, as an
 * object, in `EXTRA_FIELDS`.
 */
import { InMemoryBroker, SCHEMA_CHANGES, column, consume, deadLetterTable, defineTable, jsonCodec, tableSink } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { z } from 'zod';

// #region table
/** A sign-up as producers send it: two fields required, any others kept (`looseObject`). */
const Signup = z.looseObject({ user_id: z.string().min(1), at: z.iso.datetime({ offset: true }) });
type Signup = z.infer<typeof Signup>;

export const SIGNUPS = defineTable({
  name: 'SIGNUPS',
  description: 'One row per sign-up; fields producers add become columns.',
  columns: [
    column('USER_ID', 'text'),
    column('SIGNED_UP_AT', 'timestamp'),
    column('QUALITY_FLAGS', 'text', { nullable: true }), // schema_clash, when a value stayed in EXTRA_FIELDS
    column('EXTRA_FIELDS', 'json', { nullable: true }), // the fields no column holds
  ],
});
const SIGNUP_REJECTS = deadLetterTable('SIGNUP_REJECTS');
// #endregion

/** Three waves of sign-ups: `count` plain, `count` with `plan` and `newsletter`, one whose `plan` is a number. */
function signups(count: number): Record<string, unknown>[] {
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return [
    ...Array.from({ length: count }, (_, i) => ({ user_id: `u${i}`, at: at(i) })),
    ...Array.from({ length: count }, (_, i) => ({ user_id: `u${count + i}`, at: at(count + i), plan: 'pro', newsletter: i % 2 === 0 })),
    { user_id: `u${2 * count}`, at: at(2 * count), plan: 3, newsletter: false },
  ];
}

/** Publishes `2 × count + 1` sign-ups and loads them into the DuckDB file at `path`; returns how many loaded. */
export async function loadEvolvingSignups(path: string, count = 1_000): Promise<number> {
  const broker = new InMemoryBroker();
  broker.createTopic('signups', 2);
  const encoder = new TextEncoder();
  await broker.producer('signups').write(signups(count).map((s) => ({ key: null, value: encoder.encode(JSON.stringify(s)) })));
  // SCHEMA_CHANGES: where schema evolution records the columns it adds and the values that clashed.
  const warehouse = await DuckDbWarehouse.open({ path }, { tables: [SIGNUPS, SIGNUP_REJECTS, SCHEMA_CHANGES] });
  try {
    // #region sink
    const sink = tableSink({
      warehouse,
      group: 'signups-loader',
      table: SIGNUPS,
      deadLetters: SIGNUP_REJECTS,
      row: ({ user_id, at, ...other }: Signup) => ({ USER_ID: user_id, SIGNED_UP_AT: at, EXTRA_FIELDS: other }),
      schemaEvolution: true, // PLAN (text) and NEWSLETTER (boolean) are added when the second wave arrives
    });
    // #endregion
    await sink.resume('signups');
    const source = broker.consumer({ groupId: 'signups-loader', topic: 'signups' });
    await source.stop(); // the topic is complete: consume it to its end
    const summary = await consume({ source, codec: jsonCodec(Signup), sink, exitWhenIdleMs: 1_000 });
    return summary.loaded;
  } finally {
    await warehouse.close();
  }
}
