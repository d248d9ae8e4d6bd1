import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup: builds the packages (turbo caches it, so this is quick
 * when nothing changed) because end-to-end tests run the real `sneakpipe` bin.
 */
export default function setup(): void {
  execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { stdio: 'inherit' });
}
