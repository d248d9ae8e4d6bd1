import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Stops the test broker, keeping its data and ports (scripts/infra/kafka.sh stop). */
export function stopBroker(): void {
  execFileSync('bash', [`${root}scripts/infra/kafka.sh`, 'stop'], { stdio: 'ignore' });
}

/** Starts the test broker again and waits until it serves (scripts/infra/kafka.sh start). */
export function startBroker(): void {
  execFileSync('bash', [`${root}scripts/infra/kafka.sh`, 'start'], { stdio: 'ignore' });
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
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the emulator endpoint did not come back');
}

/** Samples a value every `everyMs` until stopped; returns the samples. */
export function sampler(probe: () => Promise<number | undefined>, everyMs = 500): { stop(): number[] } {
  const values: number[] = [];
  const timer = setInterval(() => {
    probe()
      .then((v) => v !== undefined && values.push(v))
      .catch(() => undefined);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return values;
    },
  };
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
