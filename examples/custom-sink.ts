/**
 * Example: writing a custom Sink.
 *
 * A JSON-lines file sink: each valid event is one line, dead letters go to a
 * second file. `write` resolves only after the lines are flushed to disk
 * (fsync), so offsets committed after it are safe; it is idempotent on the
 * event id (`event_id`, or where the record came from when the producer sent
 * none), so replays after a crash add nothing. That is the whole contract.
 */
import { existsSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { derivedEventId, type ReceivedOrderEvent } from '@sneakpipe/sneakers';
import type { Decoded, Sink } from '@sneakpipe/core';

export class JsonLinesSink implements Sink<Decoded<ReceivedOrderEvent>> {
  private readonly seen = new Set<string>();

  constructor(
    readonly eventsFile: string,
    readonly deadLettersFile: string,
  ) {
    // Idempotency across restarts: remember what the file already holds.
    if (existsSync(eventsFile)) {
      for (const line of readFileSync(eventsFile, 'utf8').split('\n')) if (line) this.seen.add((JSON.parse(line) as { id: string }).id);
    }
  }

  async write(batch: readonly Decoded<ReceivedOrderEvent>[]): Promise<void> {
    const events: string[] = [];
    const ids = new Set<string>();
    const dead: string[] = [];
    for (const item of batch) {
      if (!item.ok) {
        dead.push(JSON.stringify({ reason: item.reason, raw: Buffer.from(item.raw).toString('base64'), position: item.position }));
        continue;
      }
      const id = item.value.event_id ?? derivedEventId(item.position!);
      if (this.seen.has(id) || ids.has(id)) continue;
      ids.add(id);
      events.push(JSON.stringify({ id, event: item.value }));
    }
    await appendDurably(this.eventsFile, events);
    // Only now are they durable: a failed write must not mark them as seen, or its retry would skip them.
    // Marked before the dead letters are written: if that fails, the retry must not append these events twice.
    for (const id of ids) this.seen.add(id);
    await appendDurably(this.deadLettersFile, dead);
  }
}

async function appendDurably(path: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const file = await open(path, 'a');
  try {
    await file.appendFile(`${lines.join('\n')}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
}
