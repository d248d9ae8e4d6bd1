import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UNIT_RUN_ENV } from '../vitest.shared.js';

/**
 * Called by every test-support helper that reaches a real component (the
 * broker, the emulator, Prometheus, Chromium): in a unit run
 * (`npm run test:unit`) it throws, so a test file that reaches a component
 * through a module that does not declare it (`export const NEEDS`) fails
 * plainly instead of finding one by chance.
 */
export function needsInfrastructure(component: string): void {
  if (!process.env[UNIT_RUN_ENV]) return;
  throw new Error(
    `${component} is not available to unit tests (npm run test:unit): the test-support module that reaches it must declare it (\`export const NEEDS = '...'\`), which leaves every test file importing that module out of unit runs (testFilesNeedingInfrastructure, vitest.shared.ts); run this one with npm test`,
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
