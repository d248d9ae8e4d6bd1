#!/usr/bin/env node
// The settings reference, generated from the settings' own schemas (each
// connector's config schema, the CLI's commands) as the CLI reports them
// (`sneakpipe settings --json`, a command left out of `--help`), so the docs
// cannot drift from the code. Writes the text between `<!-- settings:NAME -->` and
// `<!-- /settings:NAME -->` markers in the docs below.
//   node scripts/settings-docs.mjs          rewrite the generated sections
//   node scripts/settings-docs.mjs --check  exit 1, naming the file, if one differs (scripts/test.sh)
// Runs the built CLI: run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Every setting with its flag, environment variable, default and connector: the runners package exports only its bin.
const bin = fileURLToPath(new URL('../packages/runners/bin/sneakpipe.js', import.meta.url));
const catalogue = JSON.parse(execFileSync(process.execPath, [bin, 'settings', '--json'], { encoding: 'utf8' }));

const cell = (text) => String(text).replaceAll('|', '\\|');
const prose = (text) => cell(text).replaceAll('<', '&lt;');
const code = (text) => (text ? `\`${cell(text)}\`` : '');
const flagOf = (setting) => `--${setting.flag}${setting.value ? ` <${setting.value}>` : ''}`;

/** One row per setting: flag, environment variable, default, meaning (and, given `takers`, the commands that take it). */
function table(rows, takers) {
  const extra = (r) => (takers ? ` ${takers(r)} |` : '');
  return [
    `| flag | environment | default | meaning |${takers ? ' commands |' : ''}`,
    `| --- | --- | --- | --- |${takers ? ' --- |' : ''}`,
    ...rows.map(
      (r) =>
        `| ${code(flagOf(r))} | ${code(r.env)} | ${r.default === undefined ? '' : code(r.default)} | ${prose(r.description)} |${extra(r)}`,
    ),
  ].join('\n');
}

const connectorRows = new Map(Object.entries(catalogue.connectors));
/** The connector a command's setting belongs to, and that connector's row for it (the CLI names the connector). */
function connectorOf(setting) {
  if (!setting.connector) return undefined;
  const row = connectorRows.get(setting.connector)?.find((r) => r.flag === setting.flag);
  if (!row) throw new Error(`--${setting.flag}: no such setting of the ${setting.connector} connector`);
  return { name: setting.connector, row };
}

/** Every command with settings, subcommands included, as `sneakpipe a b`. */
const allCommands = catalogue.commands;

/**
 * The commands that take a connector's setting, as a user types them:
 * `report` when every `report` subcommand takes it, else each by name.
 */
function takersOf(row) {
  const taking = new Set(allCommands.filter((c) => c.settings.some((s) => connectorOf(s)?.row === row)).map((c) => c.name));
  const names = [];
  for (const { name } of allCommands) {
    const words = name.split(' ').slice(1);
    const family = allCommands.filter((c) => c.name.split(' ')[1] === words[0]);
    const whole = family.length > 1 && family.every((c) => taking.has(c.name));
    const shown = whole ? words[0] : words.join(' ');
    if ((whole || taking.has(name)) && !names.includes(shown)) names.push(shown);
  }
  return names;
}

/**
 * A connector's settings: when every command that reads the connector takes
 * every setting, one line says which commands those are; otherwise each row
 * names its own.
 */
function connectorSection(name) {
  const rows = connectorRows.get(name);
  const takers = new Map(rows.map((r) => [r, takersOf(r).map(code).join(', ')]));
  const distinct = new Set(takers.values());
  if (distinct.size === 1) return `Taken by ${[...distinct][0]}.\n\n${table(rows)}`;
  return table(rows, (r) => takers.get(r) || 'none');
}

function commandsSection() {
  const out = [];
  for (const { name, settings: rows } of allCommands) {
    const own = rows.filter((r) => !connectorOf(r));
    const used = [...new Set(rows.map((r) => connectorOf(r)?.name).filter(Boolean))];
    // A connector's setting given a default by the command (the topic, the group) is listed with the command.
    const ownDefaults = rows.filter((r) => connectorOf(r) && r.default !== connectorOf(r).row.default);
    out.push(`### \`${name}\``, '');
    if (used.length) out.push(`Connector settings: ${used.map((c) => `[${c}](#${c})`).join(', ')}.`, '');
    out.push(table([...ownDefaults, ...own]), '');
  }
  return out.join('\n').trimEnd();
}

const sections = {
  ...Object.fromEntries(Object.keys(catalogue.connectors).map((name) => [name, () => connectorSection(name)])),
  global: () => table(catalogue.global),
  commands: commandsSection,
};

// docs/settings.md, and each connector's own page where it has one (docs/<connector>.md).
const files = ['docs/settings.md', ...Object.keys(catalogue.connectors).map((name) => `docs/${name}.md`).filter((f) => existsSync(`${root}${f}`))];
const check = process.argv.includes('--check');
let stale = 0;
for (const file of files) {
  const path = `${root}${file}`;
  const text = readFileSync(path, 'utf8');
  const next = text.replace(/(<!-- settings:(\w+) -->)[\s\S]*?(<!-- \/settings:\2 -->)/g, (_, open, name, close) => {
    if (!sections[name]) throw new Error(`${file}: no generated section named ${name}`);
    return `${open}\n${sections[name]()}\n${close}`;
  });
  if (next === text) continue;
  if (check) {
    console.error(`${file}: the settings reference differs from the schemas; run node scripts/settings-docs.mjs and commit the result`);
    stale++;
  } else {
    writeFileSync(path, next);
    console.log(`${file}: settings reference updated`);
  }
}
process.exit(stale ? 1 : 0);
