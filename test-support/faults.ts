import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'Kafka broker, Snowflake emulator';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Stops the test broker, keeping its data and ports (infra/kafka.sh stop). */
export function stopBroker(): void {
  execFileSync('bash', [`${root}infra/kafka.sh`, 'stop'], { stdio: 'ignore' });
}

/** Starts the test broker again and waits until it serves (infra/kafka.sh start). */
export function startBroker(): void {
  execFileSync('bash', [`${root}infra/kafka.sh`, 'start'], { stdio: 'ignore' });
}

const proxyPid = `${root}.infra/fakesnow/proxy.pid`;

function envValue(name: string): string {
  return new RegExp(`^${name}=(.+)$`, 'm').exec(readFileSync(`${root}.infra/snowflake.env`, 'utf8'))![1]!;
}

/** Takes the Snowflake emulator's endpoint down: its port refuses connections. */
export function stopWarehouseEndpoint(): void {
  const pid = Number(readFileSync(proxyPid, 'utf8'));
  // Only the proxy whose pid was recorded, if that pid still runs it.
  const command = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
  if (!command.includes('arrow_to_json_proxy.py')) throw new Error(`the emulator's endpoint (pid ${pid} in ${proxyPid}) is not running`);
  process.kill(pid, 'SIGTERM');
}

/** Brings the emulator's endpoint back on the same port. */
export async function startWarehouseEndpoint(): Promise<void> {
  const port = envValue('SNOWFLAKE_PORT');
  const serverPort = readFileSync(`${root}.infra/fakesnow/upstream.port`, 'utf8').trim();
  const child = spawn(envValue('SNOWFLAKE_EMULATOR_PYTHON'), [`${root}infra/fakesnow/arrow_to_json_proxy.py`, port, serverPort], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  writeFileSync(proxyPid, String(child.pid));
  let last: unknown;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch (error) {
      last = error instanceof Error && error.cause ? error.cause : error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the emulator endpoint did not come back on port ${port} within 10 s: ${String(last)}`);
}

/** What a {@link sampler} saw: the values it read, and why each probe that read none failed. */
export interface Samples {
  readonly values: number[];
  readonly failures: string[];
}

/**
 * Samples a value every `everyMs` until stopped. A probe that fails or finds
 * no value is kept as a failure, not dropped: a peak taken over no samples
 * would be `-Infinity`, so {@link peakMb} says why there is none instead.
 */
export function sampler(probe: () => Promise<number | undefined>, everyMs = 500): { stop(): Samples } {
  const samples: Samples = { values: [], failures: [] };
  let stopped = false;
  const timer = setInterval(() => {
    probe().then(
      (v) => {
        if (stopped) return;
        if (v === undefined || !Number.isFinite(v)) samples.failures.push(`no value (${v})`);
        else samples.values.push(v);
      },
      (error: unknown) => {
        if (!stopped)
          samples.failures.push(
            error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : String(error),
          );
      },
    );
  }, everyMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      return samples;
    },
  };
}

/** The largest sample in MB for the fault table, or why there is none. */
export function peakMb(samples: Samples): number | string {
  if (samples.values.length === 0)
    return `n/a (no sample; ${samples.failures.length} failed probes: ${samples.failures.slice(0, 2).join('; ') || 'none ran'})`;
  return Math.round(Math.max(...samples.values) / 2 ** 20);
}

/** One row of the fault table printed by each case. */
export function report(row: {
  case: string;
  events: number;
  faults: string;
  lost: number;
  duplicated: number;
  peakRssMb: number | string;
  recoverSeconds: number | string;
}): void {
  console.log(
    `FAULT-TABLE | ${row.case} | ${row.events} | ${row.faults} | ${row.lost} | ${row.duplicated} | ${row.peakRssMb} | ${row.recoverSeconds}`,
  );
}
