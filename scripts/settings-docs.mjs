#!/usr/bin/env node
// The settings reference, generated from the settings' own schemas (each
// connector's config schema, the CLI's commands), so the docs cannot drift from
// the code. Writes the text between `<!-- settings:NAME -->` and
// `<!-- /settings:NAME -->` markers in the docs below.
//   node scripts/settings-docs.mjs          rewrite the generated sections
//   node scripts/settings-docs.mjs --check  exit 1, naming the file, if one differs (scripts/test.sh)
// Reads the built packages: run `npm run build` first.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (path) => import(new URL(`../packages/${path}`, import.meta.url).href);
const { describeSettings, settingInfoOf, defaultOf, defaultText } = await dist('core/dist/index.js');
const { duckdbConnector, kafkaConnector, kafkaTopicSettings, snowflakeConnector } = await dist('connectors/dist/settings/index.js');
const { buildProgram } = await dist('runners/dist/program.js');
const { settingsOfCommand } = await dist('runners/dist/commands/define-command.js');
const { logSettings } = await dist('runners/dist/config/log-settings.js');

const cell = (text) => String(text).replaceAll('|', '\\|');
const prose = (text) => cell(text).replaceAll('<', '&lt;');
const code = (text) => (text ? `\`${cell(text)}\`` : '');
const flagOf = (info) => `--${info.flag}${info.value ? ` <${info.value}>` : ''}`;

/** One row per setting: flag, environment variable, default, meaning (and, given `takers`, the commands that take it). */
function table(rows, takers) {
  const extra = (r) => (takers ? ` ${takers(r)} |` : '');
  return [
    `| flag | environment | default | meaning |${takers ? ' commands |' : ''}`,
    `| --- | --- | --- | --- |${takers ? ' --- |' : ''}`,
    ...rows.map(
      (r) =>
        `| ${code(flagOf(r.info))} | ${code(r.info.env)} | ${r.default === undefined ? '' : code(r.default)} | ${prose(r.info.description)} |${extra(r)}`,
    ),
  ].join('\n');
}

/** A record of described field schemas (a command's settings, the connector's topic settings) as rows. */
const rowsOf = (settings) =>
  Object.values(settings).map((schema) => {
    const info = settingInfoOf(schema);
    const d = defaultOf(schema);
    return { info, schema, ...(d && !info.secret ? { default: defaultText(d.value) } : {}) };
  });

const connectors = [kafkaConnector, snowflakeConnector, duckdbConnector];
const connectorRows = new Map(connectors.map((c) => [c.name, describeSettings(c.config)]));
connectorRows.set('kafka', [...connectorRows.get('kafka'), ...rowsOf(kafkaTopicSettings)]);
/** Which connector's schema a command's setting is (the same schema, or one wrapping it: `.optional()`, `.default()`). */
const connectorOfSchema = new Map([...connectorRows].flatMap(([name, rows]) => rows.map((r) => [r.schema, { name, row: r }])));
function connectorOf(schema) {
  for (let s = schema; s; s = s._zod.def.innerType) if (connectorOfSchema.has(s)) return connectorOfSchema.get(s);
  return undefined;
}

/** Every command with settings, subcommands included, as `sneakpipe a b`. */
function* commands(command, path = []) {
  for (const sub of command.commands) {
    const name = [...path, sub.name()];
    const settings = settingsOfCommand(sub);
    if (settings) yield { name: `sneakpipe ${name.join(' ')}`, description: sub.description(), settings };
    yield* commands(sub, name);
  }
}

const program = buildProgram();
const allCommands = [...commands(program)];

/**
 * The commands that take a connector's setting, as a user types them:
 * `report` when every `report` subcommand takes it, else each by name.
 */
function takersOf(row) {
  const taking = new Set(allCommands.filter((c) => Object.values(c.settings).some((s) => connectorOf(s)?.row === row)).map((c) => c.name));
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
  for (const { name, settings } of allCommands) {
    const rows = rowsOf(settings);
    const own = rows.filter((r) => !connectorOf(r.schema));
    const used = [...new Set(rows.map((r) => connectorOf(r.schema)?.name).filter(Boolean))];
    // A connector's setting given a default by the command (the topic, the group) is listed with the command.
    const ownDefaults = rows.filter((r) => connectorOf(r.schema) && r.default !== connectorOf(r.schema).row.default);
    out.push(`### \`${name}\``, '');
    if (used.length) out.push(`Connector settings: ${used.map((c) => `[${c}](#${c})`).join(', ')}.`, '');
    out.push(table([...ownDefaults, ...own]), '');
  }
  return out.join('\n').trimEnd();
}

const sections = {
  kafka: () => connectorSection('kafka'),
  snowflake: () => connectorSection('snowflake'),
  duckdb: () => connectorSection('duckdb'),
  global: () => table(rowsOf(logSettings)),
  commands: commandsSection,
};

const files = ['docs/settings.md', 'docs/kafka.md', 'docs/snowflake.md', 'docs/duckdb.md'];
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
