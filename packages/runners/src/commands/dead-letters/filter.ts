import { z } from 'zod';
import type { DeadLetterFilter } from '@sneakpipe/sneakers';
import { setting } from '@sneakpipe/core';
import { kafkaSettings } from '../../config/kafka-settings.js';
import type { SettingsValues } from '../../config/settings.js';
import { warehouseSettings } from '../../warehouse.js';
import type { TopicDeadLetter } from '../../warehouse-ops/dead-letter-topic.js';

/** `2025-01-31`, `2025-01-31T08:00:00Z`, or an age: `90m`, `6h`, `2d` (ago). */
const time = z.string().transform((text, ctx) => {
  const age = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (age) return Date.now() - Number(age[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected a date/time (2025-01-31, 2025-01-31T08:00:00Z) or an age (90m, 6h, 2d)' });
    return z.NEVER;
  }
  return ms;
});

// `--topic` is a filter here; the topic setting (KAFKA_TOPIC_NAME, its rule and default) names the one read by default.
const { topic: sourceTopic, ...kafkaConnectionSettings } = kafkaSettings;

/** The topic setting of the Kafka settings: the source topic whose `<topic>.dlq` is read when `--topic` is not given. */
export const sourceTopicSetting = { sourceTopic };

/** Which dead letters, and where they are read from: every filter optional. */
export const filterSettings = {
  reason: setting(z.string().min(1).optional(), {
    flag: 'reason',
    value: 'text',
    description: 'only those whose reason contains this text (case-insensitive), e.g. schema, "unknown brand", "invalid JSON"',
  }),
  since: setting(time.optional(), {
    flag: 'since',
    value: 'time',
    description: 'only those that failed at or after this time (date, date-time, or an age such as 6h)',
  }),
  until: setting(time.optional(), { flag: 'until', value: 'time', description: 'only those that failed before this time' }),
  topic: setting(z.string().min(1).optional(), {
    flag: 'topic',
    value: 'name',
    description:
      'only those from this source topic (with --source kafka: the topic whose <topic>.dlq is read; default KAFKA_TOPIC_NAME or sneaker-orders)',
  }),
  partition: setting(z.coerce.number().int().min(0).optional(), {
    flag: 'partition',
    value: 'n',
    description: 'only those from this source partition',
  }),
  source: setting(z.enum(['warehouse', 'kafka'], { error: 'expected warehouse or kafka' }).default('warehouse'), {
    flag: 'source',
    value: 'where',
    description: 'read the DEAD_LETTERS table (warehouse) or the <topic>.dlq topic (kafka)',
  }),
  ...kafkaConnectionSettings,
  ...warehouseSettings,
};

/** The values of {@link filterSettings}. */
export type FilterValues = SettingsValues<typeof filterSettings>;

/** The filter the settings ask for, as the warehouse's dead-letter operations take it. */
export function filterOf(config: FilterValues, state?: DeadLetterFilter['state']): DeadLetterFilter {
  return {
    ...(config.reason !== undefined ? { reason: config.reason } : {}),
    ...(config.since !== undefined ? { since: config.since } : {}),
    ...(config.until !== undefined ? { until: config.until } : {}),
    ...(config.topic !== undefined ? { topic: config.topic } : {}),
    ...(config.partition !== undefined ? { partition: config.partition } : {}),
    ...(state !== undefined ? { state } : {}),
  };
}

/** The `<topic>.dlq` records matching a filter (state is not known from the topic alone). */
export function matchesFilter(d: TopicDeadLetter, f: DeadLetterFilter): boolean {
  return (
    (f.reason === undefined || d.reason.toLowerCase().includes(f.reason.toLowerCase())) &&
    (f.since === undefined || d.failedAt >= f.since) &&
    (f.until === undefined || d.failedAt < f.until) &&
    (f.partition === undefined || d.position?.partition === f.partition)
  );
}
