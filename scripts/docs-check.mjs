#!/usr/bin/env node
// Type-checks the documentation's TypeScript (npm run docs:check): every ```ts
// block of README.md and of the pages directly in docs/, and every ```ts block
// in an `@example` of the packages' doc comments, against the built packages
// (their dist/*.d.ts, as a user of the library compiles). Blocks marked
// ```ts fragment are narrative snippets and are skipped (CONTRIBUTING.md).
// Errors are reported at the documentation's own file and line; exit 1 if any.
// Reads the built packages: run `npm run build` first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleBlocks, markdownBlocks } from './docs-check/blocks.mjs';
import { checkBlocks } from './docs-check/typecheck.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file) => readFileSync(join(root, file), 'utf8');
const packages = readdirSync(join(root, 'packages'));

// Without the build every import of a package fails: say that once instead of an error per block.
const unbuilt = packages.filter((pkg) => !existsSync(join(root, 'packages', pkg, 'dist')));
if (unbuilt.length > 0) {
  console.error(`docs:check: ${unbuilt.map((p) => `packages/${p}`).join(', ')} not built: run npm run build first`);
  process.exit(1);
}

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'), { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => `docs/${e.name}`)
    .sort(),
];
// The packages' sources, tests excepted: every doc comment's examples, published by TypeDoc or read in the code.
const sources = packages
  .flatMap((pkg) => readdirSync(join(root, 'packages', pkg, 'src'), { recursive: true }).map((f) => `packages/${pkg}/src/${f}`))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .sort();

const blocks = [...pages.flatMap((f) => markdownBlocks(read(f), f)), ...sources.flatMap((f) => exampleBlocks(read(f), f))];
const compiled = blocks.filter((b) => !b.fragment);
const errors = checkBlocks(compiled, { root });

for (const e of errors) {
  const [first, ...rest] = e.message.split('\n');
  console.log(`${e.file}:${e.line}: TS${e.code} ${first}${rest.map((l) => `\n    ${l}`).join('')}`);
}
const files = new Set(compiled.map((b) => b.file)).size;
console.log(
  `docs:check: ${compiled.length} blocks checked in ${files} files, ${blocks.length - compiled.length} fragments skipped, ${errors.length} errors`,
);
process.exitCode = errors.length > 0 ? 1 : 0;
