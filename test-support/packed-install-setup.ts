import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's folder for packed tarballs and the projects installed from them (test-support/packed-install.ts). */
    packedInstallDir: string;
  }
}

/**
 * Vitest global setup: one folder per test run, shared by every test file's
 * worker, so each package is packed once per run however many files install
 * it — and packed after this run's build, never reused from an older one.
 * Removed when the run ends.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-packed-'));
  project.provide('packedInstallDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
