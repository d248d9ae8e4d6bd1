import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { snowflakeTestEnv, uniqueSchema } from '@sneakpipe/test-support/snowflake';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-permanent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a permanent warehouse error stops `consume` with one line, instead of retrying forever', () => {
  // The emulator accepts any password, so the permanent setting is one the real driver refuses: a key file that holds no key.
  it('a Snowflake private key file that is not a key: exit 1 within seconds, one line naming the cause and its code', async () => {
    const notAKey = join(dir, 'not-a-key.p8');
    writeFileSync(notAKey, 'this is not a key\n');
    const topic = uniqueTopic('permanent');
    const started = Date.now();
    const run = await runCli(
      ['consume', '--group', `g-${topic}`],
      {
        KAFKA_BOOTSTRAP: kafkaBootstrap(),
        KAFKA_TOPIC_NAME: topic,
        ...snowflakeTestEnv(),
        SNOWFLAKE_SCHEMA: uniqueSchema('PERMANENT'),
        SNOWFLAKE_PRIVATE_KEY_PATH: notAKey,
      },
      60_000,
    );
    expect(run.code, run.stderr.slice(-1500)).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('sneakpipe: '));
    expect(lines, run.stderr.slice(-1500)).toHaveLength(1);
    expect(lines[0]).toMatch(/^sneakpipe: Invalid private key\..* \[CONFIG_INVALID\]$/);
    expect(run.stderr).not.toMatch(/retrying/);
  });
});
