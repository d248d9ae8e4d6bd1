import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NEEDS_INFRASTRUCTURE, UNIT_RUN_ENV } from '../vitest.shared.js';

/**
 * Called by every test-support helper that reaches a real component (the
 * broker, the emulator, Prometheus, Chromium): in a unit run
 * (`npm run test:unit`) it throws, so a test file that needs a component but is
 * not listed as such fails plainly instead of finding one by chance.
 */
export function needsInfrastructure(component: string): void {
  if (!process.env[UNIT_RUN_ENV]) return;
  throw new Error(
    `${component} is not available to unit tests (npm run test:unit): list this test file in NEEDS_INFRASTRUCTURE (vitest.shared.ts, ${Object.keys(NEEDS_INFRASTRUCTURE).length} files so far) and run it with npm test`,
  );
}

/** Throws one plain sentence when a program the tests run (a Debian package) is not installed. */
export function requireProgram(program: string, what: string): void {
  const found = program.includes('/')
    ? existsSync(program)
    : (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, program)));
  if (!found) {
    throw new Error(`${what} is not installed (${program} not found): npm run infra:up installs it (apt-get, as root, on Debian)`);
  }
}
