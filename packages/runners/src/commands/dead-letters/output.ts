import { fields, setting } from '@sneakpipe/core';

/** `--json`: print JSON (for scripts) instead of a table. */
export const jsonSetting = {
  json: setting(fields.bool.default(false), { flag: 'json', description: 'print JSON (for scripts) instead of a table' }),
};

/** A time as ISO 8601 in UTC, without zero milliseconds; empty for none. */
export const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** Text cut to `n` characters, an ellipsis marking the cut. */
export const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
