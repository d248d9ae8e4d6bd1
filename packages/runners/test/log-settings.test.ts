import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { logSettings } from '../src/config/log-settings.js';
import { resolveSettings } from '../src/config/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-log-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** `sneakpipe demo` of a few events into a file of its own, with these log variables. */
const demo = (env: NodeJS.ProcessEnv) => runCli(['demo', '--events', '20', '--warehouse', join(dir, `demo-${runs++}.duckdb`)], env);
const started = (stderr: string) => stderr.split('\n').filter((line) => line.includes('demo starting'));

describe('--log-level and --log-format: an empty variable counts as unset', () => {
  it('reads flag, then environment, then default, like every setting', () => {
    expect(resolveSettings(logSettings, {}, {})).toEqual({ logLevel: 'info', logFormat: 'auto' });
    expect(resolveSettings(logSettings, {}, { SNEAKPIPE_LOG_LEVEL: '', SNEAKPIPE_LOG_FORMAT: '' })).toEqual({
      logLevel: 'info',
      logFormat: 'auto',
    });
    expect(resolveSettings(logSettings, {}, { SNEAKPIPE_LOG_LEVEL: 'debug', SNEAKPIPE_LOG_FORMAT: 'json' })).toEqual({
      logLevel: 'debug',
      logFormat: 'json',
    });
    expect(resolveSettings(logSettings, { logLevel: 'warn' }, { SNEAKPIPE_LOG_LEVEL: 'debug' }).logLevel).toBe('warn');
  });

  it('SNEAKPIPE_LOG_LEVEL= and SNEAKPIPE_LOG_FORMAT= run the command with the defaults: info, JSON lines off a terminal', async () => {
    const empty = await demo({ SNEAKPIPE_LOG_LEVEL: '', SNEAKPIPE_LOG_FORMAT: '' });
    expect(empty.code, empty.stderr).toBe(0);
    expect(started(empty.stderr)).toHaveLength(1);
    expect(JSON.parse(started(empty.stderr)[0]!)).toMatchObject({ service: 'sneakpipe', level: 30 });
  });

  it('a variable that is set is read (so the empty one above was taken for unset, not ignored)', async () => {
    const quiet = await demo({ SNEAKPIPE_LOG_LEVEL: 'warn' });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(started(quiet.stderr)).toEqual([]);
    const pretty = await demo({ SNEAKPIPE_LOG_FORMAT: 'pretty' });
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(started(pretty.stderr)).toHaveLength(1);
    expect(started(pretty.stderr)[0]).toMatch(/^\S*\[\d\d:\d\d:\d\d\.\d{3}\]/);
  });

  it('a bad value in a variable stops the command with exit code 2 and one line naming the variable', async () => {
    const level = await demo({ SNEAKPIPE_LOG_LEVEL: 'loud' });
    expect(level.code).toBe(2);
    expect(level.stderr.trim().split('\n')).toEqual([
      'sneakpipe: invalid setting SNEAKPIPE_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent; got "loud"',
    ]);
    const format = await demo({ SNEAKPIPE_LOG_FORMAT: 'xml' });
    expect(format.code).toBe(2);
    expect(format.stderr.trim().split('\n')).toEqual([
      'sneakpipe: invalid setting SNEAKPIPE_LOG_FORMAT: expected one of auto, json, pretty; got "xml"',
    ]);
  });
});
