import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { listCommand } from './list.js';
import { replayCommand } from './replay.js';
import { showCommand } from './show.js';

/** `sneakpipe dead-letters list | show | replay`. */
export function deadLettersCommand(context: CommandContext): Command {
  return new Command('dead-letters')
    .description(
      "Act on dead letters (records that failed validation): list them, show one with its bytes, replay them through today's validation exactly once.",
    )
    .addCommand(listCommand(context))
    .addCommand(showCommand(context))
    .addCommand(replayCommand(context));
}
