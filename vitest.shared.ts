import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests import the packages by name, resolved to their TypeScript sources, so
 * they always run against the code as it is, without a build.
 */
export const alias = [
  { find: /^@sneakpipe\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@sneakpipe\/core\/testing$/, replacement: src('core/src/testing/index.ts') },
  { find: /^@sneakpipe\/core\/metrics$/, replacement: src('core/src/metrics/index.ts') },
  { find: /^@sneakpipe\/sneakers$/, replacement: src('sneakers/src/index.ts') },
  { find: /^@sneakpipe\/connectors\/(.*)$/, replacement: src('connectors/src/$1/index.ts') },
];

/**
 * Node flags of the test workers. kafkajs, which the tests drive as the
 * second Kafka client, arms timers with negative delays on Node 24
 * (tulios/kafkajs#1751); Node runs them at once and prints a
 * `TimeoutNegativeWarning` per connection into the test log, which buried
 * real output. The CLI logs the same warning at debug level (runners'
 * logger.ts) and its tests still see it there.
 */
export const execArgv = ['--disable-warning=TimeoutNegativeWarning'];

/**
 * Test files that need a real component, and which: `npm test` starts them
 * (infra/up.sh); `npm run test:unit` (vitest.unit.config.ts) runs every other
 * test file and no component.
 *
 * Derived, not listed: a test-support module that reaches a component says so
 * once, in its own `export const NEEDS = '...'` line (test-support/kafka.ts:
 * 'Kafka broker'), and a test file needs what the test-support modules it
 * imports need (`@sneakpipe/test-support/<module>`, static or dynamic imports),
 * directly or through each other (group-members.ts imports kafka.ts). In a unit
 * run, a helper that reaches a component anyway throws (test-support/infrastructure.ts).
 *
 * Keys are paths from the repository root; values name what the file needs.
 */
export function testFilesNeedingInfrastructure(): Record<string, string> {
  return (derived ??= deriveNeeds());
}
let derived: Record<string, string> | undefined;

const repoRoot = fileURLToPath(new URL('./', import.meta.url));
const supportDir = join(repoRoot, 'test-support');
/** The folders whose `*.test.ts` / `*.test.mjs` files are scanned. */
const TEST_FOLDERS = ['packages', 'examples', 'faults', 'scripts'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.turbo']);
/** A test-support module named in a string: `'@sneakpipe/test-support/kafka'`, `'../test-support/kafka.js'`. */
const SUPPORT_SPECIFIER = /['"`](?:@sneakpipe\/|(?:\.\.?\/)+)test-support\/([\w-]+)(?:\.[cm]?[jt]s)?['"`]/g;
/** A test-support module importing another, relatively: `from './kafka.js'`. */
const SIBLING_SPECIFIER = /(?:from\s+|import\s*\(\s*)['"]\.\/([\w-]+)\.[cm]?[jt]s['"]/g;
const DECLARED_NEEDS = /^export const NEEDS = '([^']+)';?$/m;

function deriveNeeds(): Record<string, string> {
  // What each test-support module declares, and which of its siblings it imports.
  const modules = new Map<string, { needs: string[]; imports: string[] }>();
  for (const file of readdirSync(supportDir)) {
    const match = /^([\w-]+)\.(?:ts|mjs)$/.exec(file);
    if (!match) continue;
    const text = readFileSync(join(supportDir, file), 'utf8');
    const declared = DECLARED_NEEDS.exec(text)?.[1];
    modules.set(match[1]!, {
      needs: declared ? declared.split(',').map((need) => need.trim()) : [],
      imports: [...text.matchAll(SIBLING_SPECIFIER)].map((m) => m[1]!),
    });
  }
  const closure = new Map<string, Set<string>>();
  const needsOf = (name: string, seen = new Set<string>()): Set<string> => {
    const known = closure.get(name);
    if (known) return known;
    const needs = new Set<string>();
    const module = modules.get(name);
    if (module && !seen.has(name)) {
      seen.add(name);
      for (const need of module.needs) needs.add(need);
      for (const sibling of module.imports) for (const need of needsOf(sibling, seen)) needs.add(need);
      closure.set(name, needs);
    }
    return needs;
  };

  const result: Record<string, string> = {};
  for (const file of TEST_FOLDERS.flatMap((folder) => testFiles(join(repoRoot, folder)))) {
    const needs = new Set<string>();
    for (const [, name] of readFileSync(file, 'utf8').matchAll(SUPPORT_SPECIFIER)) for (const need of needsOf(name!)) needs.add(need);
    if (needs.size > 0) result[relative(repoRoot, file).split(sep).join('/')] = [...needs].join(', ');
  }
  return result;
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : testFiles(path);
    return /\.test\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

/** Set in unit runs (vitest.unit.config.ts): the test-support helpers then refuse to reach a real component. */
export const UNIT_RUN_ENV = 'SNEAKPIPE_UNIT_TESTS_ONLY';
