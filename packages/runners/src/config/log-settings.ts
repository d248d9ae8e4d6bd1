import { setting } from '@sneakpipe/core';
import { z } from 'zod';

/**
 * The program's own settings, given before the command
 * (`sneakpipe --log-level debug consume`): read like every command's, flag,
 * then environment (an empty variable counts as unset), then default.
 */
export const logSettings = {
  logLevel: setting(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    {
      flag: 'log-level',
      value: 'level',
      env: 'SNEAKPIPE_LOG_LEVEL',
      description: 'least severe log lines written: fatal, error, warn, info, debug, trace or silent',
    },
  ),
  logFormat: setting(z.enum(['auto', 'json', 'pretty'], { error: 'expected one of auto, json, pretty' }).default('auto'), {
    flag: 'log-format',
    value: 'format',
    env: 'SNEAKPIPE_LOG_FORMAT',
    description: 'auto (readable on a terminal, JSON lines otherwise), json or pretty',
  }),
};
