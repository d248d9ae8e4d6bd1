/**
 * Example: writing a custom Sink.
 *
 * A JSON-lines file sink: each valid event is one line, dead letters go to a
 * second file. `write` resolves only after the lines are flushed to disk
 * (fsync), so offsets committed after it are safe; it is idempotent on
 * `event_id`, so replays after a crash add nothing. That is the whole contract.
 */
import { existsSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Decoded, OrderEvent, Sink } from '@sneakpipe/core';

export class JsonLinesSink implements Sink<Decoded<OrderEvent>> {
  private readonly seen = new Set<string>();

  constructor(
    readonly eventsFile: string,
    readonly deadLettersFile: string,
  ) {
    // Idempotency across restarts: remember what the file already holds.
    if (existsSync(eventsFile)) {
      for (const line of readFileSync(eventsFile, 'utf8').split('\n')) if (line) this.seen.add((JSON.parse(line) as OrderEvent).event_id);
    }
  }

  async write(batch: readonly Decoded<OrderEvent>[]): Promise<void> {
    const events: string[] = [];
    const dead: string[] = [];
    for (const item of batch) {
      if (!item.ok)
        dead.push(JSON.stringify({ reason: item.reason, raw: Buffer.from(item.raw).toString('base64'), position: item.position }));
      else if (!this.seen.has(item.value.event_id)) {
        this.seen.add(item.value.event_id);
        events.push(JSON.stringify(item.value));
      }
    }
    await appendDurably(this.eventsFile, events);
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
