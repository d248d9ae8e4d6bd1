import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { installPacked } from '@sneakpipe/test-support/packed-install';

const run = promisify(execFile);

// The two sets the docs name (docs/library.md#install): the CLI is all four
// tarballs, the library core + connectors with its peers and one driver.
describe('the packed packages install as the docs say, in one npm install each', () => {
  it('all four tarballs, nothing else: `npx sneakpipe --help` runs and lists the commands', async () => {
    const { dir } = await installPacked(['core', 'sneakers', 'connectors', 'runners']);
    // npx runs the project's own bin (and would look for a `sneakpipe` on the registry without it).
    expect(existsSync(join(dir, 'node_modules/.bin/sneakpipe'))).toBe(true);
    // The bin's shebang runs the `node` on PATH: this test's.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
    const { stdout } = await run('npx', ['sneakpipe', '--help'], { cwd: dir, env });
    expect(stdout).toMatch(/^Usage: sneakpipe/);
    for (const command of ['demo', 'produce', 'consume', 'seed', 'report', 'schedule']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  }, 300_000);

  it('core + connectors (no sneakers, no runners): a DuckDB warehouse file takes a row and gives it back', async () => {
    const { dir } = await installPacked(['core', 'connectors'], ['rxjs', 'zod', '@duckdb/node-api']);
    expect(existsSync(join(dir, 'node_modules/@sneakpipe/sneakers'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules/@sneakpipe/runners'))).toBe(false);
    writeFileSync(
      join(dir, 'notes.mjs'),
      `import { column } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';

const NOTES = { name: 'NOTES', description: 'one note a row', columns: [column('ID', 'integer'), column('TEXT', 'text')] };
const warehouse = await DuckDbWarehouse.open({ path: process.argv[2] }, { tables: [NOTES] });
try {
  await warehouse.append({ tables: [{ table: NOTES, rows: [[1, 'hello']] }] });
  console.log(JSON.stringify(await warehouse.query(\`SELECT ID, TEXT FROM \${warehouse.table('NOTES')}\`)));
} finally {
  await warehouse.close();
}
`,
    );
    const { stdout } = await run(process.execPath, ['notes.mjs', join(dir, 'notes.duckdb')], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual([{ ID: 1, TEXT: 'hello' }]);
  }, 300_000);
});
