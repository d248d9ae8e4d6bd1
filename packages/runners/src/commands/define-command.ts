import { Command } from 'commander';
import { addSettings, resolveSettings, type Settings, type SettingsValues } from '../config/settings.js';

/** What a command is, for `--help`: a description and usage examples. */
export interface CommandSpec<S extends Settings> {
  name: string;
  description: string;
  examples: readonly string[];
  settings: S;
}

/** Each defined command's settings, for tools that document them (`sneakpipe settings --json`). */
const declared = new WeakMap<Command, Settings>();

/** The settings a command was defined with (`undefined` for a command without). */
export function settingsOfCommand(command: Command): Settings | undefined {
  return declared.get(command);
}

/**
 * A command whose options are declared settings: `--help` documents every flag
 * with its environment variable and default, and the action receives the
 * validated values (a bad one stops before the action runs).
 */
export function defineCommand<S extends Settings>(spec: CommandSpec<S>, action: (config: SettingsValues<S>) => Promise<void>): Command {
  const command = new Command(spec.name)
    .description(spec.description)
    .addHelpText('after', `\n${spec.examples.length > 1 ? 'Examples' : 'Example'}:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);
  addSettings(command, spec.settings);
  declared.set(command, spec.settings);
  return command.action((flags: Record<string, unknown>) => action(resolveSettings(spec.settings, flags)));
}
