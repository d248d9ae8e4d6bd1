import { SnowflakeWarehouse } from '@sneakpipe/connectors/snowflake';
import { WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { snowflakeTestConnection, uniqueSchema } from '@sneakpipe/test-support/snowflake';

/** The statements of a SQL text (one per `;` at a line's end), comments left out. */
const statements = (sql: string) =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);

describe('sneakpipe snowflake setup --print', () => {
  it('prints least-privilege grants for each load method: for streaming no pipe, and UPDATE only on the replay lock', async () => {
    const streaming = await runCli(['snowflake', 'setup', '--print', '--load-method', 'streaming']);
    expect(streaming.code, streaming.stderr).toBe(0);
    const grants = statements(streaming.stdout).filter((s) => s.startsWith('GRANT') && s.includes(' ON TABLE '));
    expect(grants.length).toBe(WAREHOUSE_TABLES.length + 2); // the shop's tables, LOAD_POSITIONS and STREAMED_POSITIONS
    for (const grant of grants)
      expect(grant).toMatch(
        grant.includes('"LOAD_POSITIONS"')
          ? /^GRANT SELECT, INSERT, UPDATE ON TABLE "RETAIL_LAB"\."STG"\."LOAD_POSITIONS" TO ROLE "SNEAKPIPE_LOADER"$/
          : /^GRANT SELECT, INSERT ON TABLE "RETAIL_LAB"\."STG"\."\w+" TO ROLE "SNEAKPIPE_LOADER"$/,
      );
    expect(statements(streaming.stdout).join('\n')).not.toMatch(/CREATE (OR REPLACE )?PIPE|OPERATE/);

    const transactional = await runCli(['snowflake', 'setup', '--print']);
    expect(transactional.code, transactional.stderr).toBe(0);
    expect(transactional.stdout).toMatch(/GRANT USAGE, CREATE TABLE ON SCHEMA "RETAIL_LAB"\."STG"/);
    expect(transactional.stdout).toMatch(/GRANT SELECT, INSERT, UPDATE ON TABLE "RETAIL_LAB"\."STG"\."LOAD_POSITIONS"/);
    expect(transactional.stdout).not.toMatch(/STREAMED_POSITIONS/);
  });

  it('stops with one line without --print, or with a name that is not an identifier', async () => {
    const bare = await runCli(['snowflake', 'setup']);
    expect([bare.code, bare.stderr.trim().split('\n').length]).toEqual([1, 1]);
    expect(bare.stderr).toMatch(/--print/);
    const bad = await runCli(['snowflake', 'setup', '--print', '--role', 'x;drop']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/x;drop/);
    expect(bad.stdout).toBe('');
  });

  it("creates, as printed, objects the loader then opens without creating anything (the emulator runs the objects' statements)", async () => {
    const schema = uniqueSchema('SETUP');
    const cli = await runCli(['snowflake', 'setup', '--print', '--load-method', 'streaming', '--schema', schema]);
    expect(cli.code, cli.stderr).toBe(0);
    const objects = statements(cli.stdout).filter((s) => /^CREATE (SCHEMA|TABLE)/.test(s));
    expect(objects.length).toBe(WAREHOUSE_TABLES.length + 3);
    const admin = await SnowflakeWarehouse.open(snowflakeTestConnection(schema), { tables: [] });
    try {
      for (const statement of objects) await admin.query(statement);
    } finally {
      await admin.close();
    }
    const sent: string[] = [];
    const loader = await SnowflakeWarehouse.open(snowflakeTestConnection(schema), {
      tables: WAREHOUSE_TABLES,
      onStatement: (s) => sent.push(s),
    });
    await loader.close();
    expect(sent.filter((s) => /^\s*(CREATE|ALTER)/i.test(s))).toEqual([]);
  });
});
