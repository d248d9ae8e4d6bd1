import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { needsInfrastructure } from './infrastructure.js';
import type {} from './packed-install-setup.js';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'the npm registry (installs the packed packages)';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** The workspace packages, by folder name under packages/. */
export type Workspace = 'core' | 'sneakers' | 'connectors' | 'runners';

/** A fresh project with packed packages installed, as a user gets it from the tarballs. */
export interface PackedInstall {
  /** The project's folder: a package.json (`{"type":"module"}`) and its node_modules. */
  readonly dir: string;
  /** Seconds the one `npm install` took (packing not included). */
  readonly installSeconds: number;
}

/** The version the root package-lock.json installs, e.g. `7.8.2` for `rxjs`: the version the monorepo builds and tests with. */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in package-lock.json: give its version (${name}@x.y.z)`);
  return version;
}

/**
 * Installs the packed `packages` and `dependencies` into a fresh folder with
 * ONE `npm install`, as the docs tell users to: a tarball's dependency on
 * another `@sneakpipe` package resolves only to a tarball of the same command
 * (they are not on the registry). A dependency given by name alone is pinned
 * to the root lockfile's version (`rxjs` → `rxjs@7.8.2`), so the project gets
 * what the tests ran with and npm mostly serves it from its cache; whatever the
 * cache lacks comes from the registry.
 *
 * Builds nothing: the test command builds before the tests (scripts/build-once.ts).
 */
export async function installPacked(packages: readonly Workspace[], dependencies: readonly string[] = []): Promise<PackedInstall> {
  needsInfrastructure('The npm registry');
  const tarballs = await Promise.all(packages.map(packed));
  const dir = mkdtempSync(join(runDir(), 'project-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const specs = dependencies.map((d) => (d.lastIndexOf('@') > 0 ? d : `${d}@${lockedVersion(d)}`));
  const started = performance.now();
  // --prefer-offline: a cached package's metadata is used without asking the registry again.
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...specs], { cwd: dir });
  return { dir, installSeconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** The folder of this test run (test-support/packed-install-setup.ts makes it, and removes it at the end). */
function runDir(): string {
  const dir = inject('packedInstallDir');
  if (!dir) throw new Error("packed installs need test-support/packed-install-setup.ts in the vitest config's globalSetup");
  return dir;
}

/**
 * The path of a package's tarball, packed at most once per test run: test
 * files run in parallel workers, so the first to need a package takes a lock
 * (mkdir is atomic) and packs it; the others wait for its name to appear.
 */
async function packed(pkg: Workspace): Promise<string> {
  const dir = runDir();
  const ready = join(dir, `${pkg}.tarball`); // holds the tarball's file name, written once the tarball is complete
  const lock = join(dir, `${pkg}.lock`);
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(100)) {
    if (existsSync(ready)) return join(dir, readFileSync(ready, 'utf8'));
    try {
      mkdirSync(lock);
    } catch {
      continue; // another worker is packing it
    }
    try {
      if (existsSync(ready)) return join(dir, readFileSync(ready, 'utf8')); // packed between the check above and the lock
      // A failed pack leaves no name: a waiting worker then packs it itself and reports its own error.
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir, `./packages/${pkg}`], { cwd: root });
      const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
      writeFileSync(`${ready}.tmp`, filename);
      renameSync(`${ready}.tmp`, ready);
      return join(dir, filename);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  throw new Error(`npm pack of packages/${pkg} did not finish within 2 minutes`);
}
