import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { VERSION } from '../src/version.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const packages = readdirSync(join(root, 'packages')).map((dir) => ({
  dir: `packages/${dir}`,
  manifest: JSON.parse(read(`packages/${dir}/package.json`)) as Manifest,
}));
const released = packages.find((p) => p.manifest.name === '@sneakpipe/runners')!.manifest.version;

describe('one version everywhere: the packages, the CLI, the changelog', () => {
  it('every package has the same version, and requires that version of the others', () => {
    expect(packages.map((p) => p.manifest.name).sort()).toEqual([
      '@sneakpipe/connectors',
      '@sneakpipe/core',
      '@sneakpipe/runners',
      '@sneakpipe/sneakers',
    ]);
    expect(released).toMatch(/^\d+\.\d+\.\d+$/);
    for (const { dir, manifest } of packages) {
      expect(manifest.version, `${dir}/package.json`).toBe(released);
      const ranges = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
      for (const [name, range] of Object.entries(ranges)) {
        if (name.startsWith('@sneakpipe/')) expect(range, `${dir}/package.json: ${name}`).toBe(`^${released}`);
      }
    }
  });

  it('the root package-lock.json records the same versions and ranges for the workspaces', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, Manifest> };
    for (const { dir, manifest } of packages) {
      const locked = lock.packages[dir];
      expect(locked?.version, `package-lock.json: ${dir}`).toBe(released);
      expect({ ...locked?.dependencies, ...locked?.devDependencies }, `package-lock.json: ${dir}`).toMatchObject({
        ...manifest.dependencies,
        ...manifest.devDependencies,
      });
    }
  });

  it('`sneakpipe --version` prints it', async () => {
    expect(VERSION).toBe(released);
    const cli = await runCli(['--version']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout.trim()).toBe(released);
  });

  it("the changelog's first release heading is this version, with its date", () => {
    const heading = read('CHANGELOG.md')
      .split('\n')
      .find((line) => line.startsWith('## '));
    const [, version] = /^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$/.exec(heading ?? '') ?? [];
    expect(version, `CHANGELOG.md: ${heading}`).toBe(released);
  });

  it('the docs install tarballs of this version', () => {
    const docs = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    docs.push(...packages.map((p) => `${p.dir}/README.md`));
    const tarballs = docs.flatMap((file) =>
      [...read(file).matchAll(/sneakpipe-(?:\*|core|sneakers|connectors|runners)-(\d+\.\d+\.\d+)\.tgz/g)].map((m) => ({
        file,
        version: m[1],
      })),
    );
    expect(tarballs.length).toBeGreaterThan(0);
    expect(tarballs.filter((t) => t.version !== released)).toEqual([]);
  });
});
