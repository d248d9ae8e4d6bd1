import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { committedTotal, kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';

const PROGRAM = fileURLToPath(new URL('./library-kafka-to-duckdb.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-library-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the guide's program as a user would (`node examples/library-kafka-to-duckdb.ts`,
 * on the built packages) and sends it SIGTERM once it has committed `until`
 * records; resolves with its exit code and output.
 */
function runProgram(
  env: NodeJS.ProcessEnv,
  until: number,
): Promise<{ code: number | null; stdout: string; stderr: string; committed: number }> {
  const child = spawn(process.execPath, [PROGRAM], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let committed = 0;
  let signalled = false;
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    committed = [...stdout.matchAll(/batch: (\d+) records loaded and committed/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    if (!signalled && committed >= until) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, committed });
    }),
  );
}

// Needs the real broker (npm run infra:up).
describe('the library guide: a complete program, Kafka → DuckDB (examples/library-kafka-to-duckdb.ts)', () => {
  it('on SIGTERM, loads and commits everything it handed out and exits 0; restarted, it loads what came since, each event once', async () => {
    const topic = uniqueTopic('library');
    const group = `g-${topic}`;
    const path = join(dir, 'warehouse.duckdb');
    const produced = await runCli(['produce', '--count', '20000', '--topic', topic], { KAFKA_BOOTSTRAP: kafkaBootstrap() });
    expect(produced.code, produced.stderr).toBe(0);
    const env = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic, KAFKA_GROUP_ID: group, DUCKDB_PATH: path };
    const rowsAndCommitted = async () => {
      const [[rows, distinct]] = (await queryDuckDbFile(
        path,
        'SELECT COUNT(*)::INT, COUNT(DISTINCT EVENT_ID)::INT FROM STG.STREAMING_ORDERS',
      )) as [[number, number]];
      return { rows, distinct, committed: await committedTotal(group, topic) };
    };

    // SIGTERM right after its first batch, with more records handed out behind it: it loads and
    // commits all it handed out before it exits, so the rows are exactly what the group committed.
    const first = await runProgram(env, 1);
    expect(first.code, first.stderr).toBe(0);
    const loaded = Number(/stopped: (\d+) events loaded, 0 dead letters/.exec(first.stdout)?.[1]);
    expect(loaded).toBeGreaterThan(0);
    expect(await rowsAndCommitted()).toEqual({ rows: loaded, distinct: loaded, committed: loaded });

    // Restarted after more events arrive, it resumes where it stopped and loads the rest, each once.
    const more = await runCli(['produce', '--count', '3000', '--topic', topic, '--seed', '7'], { KAFKA_BOOTSTRAP: kafkaBootstrap() });
    expect(more.code, more.stderr).toBe(0);
    const second = await runProgram(env, 23_000 - loaded);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`stopped: ${23_000 - loaded} events loaded`);
    expect(await rowsAndCommitted()).toEqual({ rows: 23_000, distinct: 23_000, committed: 23_000 });
  }, 240_000);
});
