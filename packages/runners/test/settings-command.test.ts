import type { Command } from 'commander';
import { settingInfoOf } from '@sneakpipe/core';
import { WAREHOUSE_CONNECTORS } from '@sneakpipe/connectors/settings';
import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { settingsOfCommand } from '../src/commands/define-command.js';
import type { SettingsCatalogue } from '../src/commands/settings.js';
import { logSettings } from '../src/config/log-settings.js';
import { buildProgram } from '../src/program.js';

/** Every command with settings, subcommands included, with its flags: what the catalogue must list. */
function declared(command: Command, path: readonly string[]): { name: string; flags: string[] }[] {
  return command.commands.flatMap((sub) => {
    const name = [...path, sub.name()];
    const settings = settingsOfCommand(sub);
    const own = settings ? [{ name: name.join(' '), flags: Object.values(settings).map((s) => settingInfoOf(s)!.flag) }] : [];
    return [...own, ...declared(sub, name)];
  });
}

describe('sneakpipe settings --json (for the docs generator, hidden from --help)', () => {
  it("prints every command's settings, the program's own and the connectors'", async () => {
    const cli = await runCli(['settings', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const catalogue = JSON.parse(cli.stdout) as SettingsCatalogue;
    expect(catalogue.commands.map((c) => ({ name: c.name, flags: c.settings.map((s) => s.flag) }))).toEqual(
      declared(buildProgram(), ['sneakpipe']),
    );
    expect(catalogue.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['sneakpipe consume', 'sneakpipe dead-letters replay']));
    expect(catalogue.global.map((s) => s.flag)).toEqual(Object.values(logSettings).map((s) => settingInfoOf(s)!.flag));
    expect(Object.keys(catalogue.connectors)).toEqual(['kafka', ...WAREHOUSE_CONNECTORS.map((c) => c.name)]);

    const consume = catalogue.commands.find((c) => c.name === 'sneakpipe consume')!;
    expect(consume.settings.find((s) => s.flag === 'brokers')).toMatchObject({ env: 'KAFKA_BOOTSTRAP', connector: 'kafka' });
    expect(consume.settings.find((s) => s.flag === 'topic')).toMatchObject({ default: 'sneaker-orders', connector: 'kafka' });
    // A secret's default is never printed.
    for (const s of [
      ...catalogue.global,
      ...Object.values(catalogue.connectors).flat(),
      ...catalogue.commands.flatMap((c) => c.settings),
    ]) {
      if (s.secret) expect(s.default, s.flag).toBeUndefined();
    }
  });

  it('is left out of `sneakpipe --help`, and asks for its format', async () => {
    const help = await runCli(['--help']);
    expect(help.code, help.stderr).toBe(0);
    const commands = help.stdout.split(/^Commands:$/m)[1] ?? '';
    expect(commands).toMatch(/^ {2}consume\b/m);
    expect(commands).not.toMatch(/^ {2}settings\b/m);

    const bare = await runCli(['settings']);
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toMatch(/--json/);
  });
});
