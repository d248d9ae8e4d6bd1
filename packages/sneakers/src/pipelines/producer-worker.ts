/*
 * The demo's producer half on its own thread: the same `runProducer`
 * (generate → serialize → batch → publish) as on the main thread, whose sink
 * hands each batch to the main thread as one transferred buffer and waits for
 * it to be in the broker. Generating and encoding then use the second core
 * while the main thread decodes and loads. Started by `runEmbeddedPipeline`.
 */
import { Buffer } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { BehaviorSubject } from 'rxjs';
import type { OutgoingRecord, Sink } from '@sneakpipe/core';
import { runProducer } from './produce.js';

/** Events the producer thread generates ahead of the main thread's acknowledgements: three publish requests. */
const PRODUCER_THREAD_MAX_IN_FLIGHT = 6_000;

/** What the main thread gives the worker. */
export interface ProducerWorkerData {
  count: number;
  rate: number | undefined;
  seed: number;
}

/** Main → worker. */
export type ToProducerWorker = { type: 'ack'; id: number } | { type: 'paused'; value: boolean };

/**
 * Worker → main. A batch is `data` (keys and values back to back) and `ends`
 * (per record: where its key ends, then where its value ends; a key of length
 * -1 is no key).
 */
export type FromProducerWorker =
  | { type: 'batch'; id: number; data: ArrayBuffer; ends: Int32Array }
  | { type: 'done'; produced: number }
  | { type: 'failed'; message: string; stack?: string };

/** Packs records into one buffer (transferred, not copied, to the main thread). */
export function packRecords(records: readonly OutgoingRecord[]): { data: ArrayBuffer; ends: Int32Array } {
  let size = 0;
  for (const r of records) size += (r.key?.byteLength ?? 0) + r.value.byteLength;
  const buffer = new ArrayBuffer(size);
  const data = new Uint8Array(buffer);
  const ends = new Int32Array(new ArrayBuffer(records.length * 8));
  let at = 0;
  records.forEach((r, i) => {
    if (r.key) {
      data.set(r.key, at);
      at += r.key.byteLength;
      ends[2 * i] = at;
    } else ends[2 * i] = -1;
    data.set(r.value, at);
    at += r.value.byteLength;
    ends[2 * i + 1] = at;
  });
  return { data: buffer, ends };
}

/** The records of a packed batch, as views on its buffer. */
export function unpackRecords(data: ArrayBuffer, ends: Int32Array): OutgoingRecord[] {
  const records: OutgoingRecord[] = new Array(ends.length / 2);
  let at = 0;
  for (let i = 0; i < records.length; i++) {
    const keyEnd = ends[2 * i]!;
    let key: Buffer | null = null;
    if (keyEnd >= 0) {
      key = Buffer.from(data, at, keyEnd - at);
      at = keyEnd;
    }
    const valueEnd = ends[2 * i + 1]!;
    records[i] = { key, value: Buffer.from(data, at, valueEnd - at) };
    at = valueEnd;
  }
  return records;
}

if (parentPort && (workerData as { sneakpipeProducer?: ProducerWorkerData } | null)?.sneakpipeProducer) {
  const port = parentPort;
  const options = (workerData as { sneakpipeProducer: ProducerWorkerData }).sneakpipeProducer;
  const paused = new BehaviorSubject(false);
  const acks = new Map<number, () => void>();
  let nextId = 0;
  port.on('message', (message: ToProducerWorker) => {
    if (message.type === 'paused') paused.next(message.value);
    else {
      acks.get(message.id)?.();
      acks.delete(message.id);
    }
  });
  const sink: Sink<OutgoingRecord> = {
    write: (batch) =>
      new Promise<void>((resolve) => {
        const id = nextId++;
        acks.set(id, resolve);
        const { data, ends } = packRecords(batch);
        port.postMessage({ type: 'batch', id, data, ends } satisfies FromProducerWorker, [data, ends.buffer as ArrayBuffer]);
      }),
  };
  // Generate at most a few publish requests ahead of the main thread's acknowledgements: the
  // backlog's pauses arrive by message, late when the main thread is busy loading, and
  // everything generated meanwhile would wait in this thread's heap.
  runProducer({
    sink,
    count: options.count,
    rate: options.rate,
    seed: options.seed,
    maxInFlight: PRODUCER_THREAD_MAX_IN_FLIGHT,
    paused$: paused,
  })
    .then((produced) => port.postMessage({ type: 'done', produced } satisfies FromProducerWorker))
    .catch((error: Error) =>
      port.postMessage({ type: 'failed', message: String(error?.message ?? error), stack: error?.stack } satisfies FromProducerWorker),
    )
    .finally(() => port.close());
}
