// Type-checks documentation blocks as one TypeScript program: one program
// loads the packages' declarations once, where a compiler run per block would
// load them again for each.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';

// What a reader compiling the block would have: strict, ES modules resolved
// through the packages' `exports` maps as Node does. Every block is a module
// (top-level await works, blocks' names do not clash), and the installed
// packages' declarations (the built dist/*.d.ts) are trusted, not checked.
const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  moduleDetection: 'force',
  lib: ['ES2023'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/**
 * @typedef {object} BlockError
 * @property {string} file   the documentation file, relative to the repository root
 * @property {number} line   1-based line in that file
 * @property {number} code   the TypeScript error number
 * @property {string} message
 */

/**
 * Compiles the blocks and returns their errors, mapped back to the
 * documentation's files and lines.
 *
 * The blocks are written under `<root>/.docs-check/` (gitignored), inside the
 * repository so that their imports of `@sneakpipe/*`, rxjs or zod resolve
 * through its node_modules and its package.json makes them ES modules. Each run
 * has its own folder, removed at the end, so runs side by side do not meet.
 * @param {import('./blocks.mjs').Block[]} blocks the blocks to compile (no fragments)
 * @param {{ root: string }} options the repository root
 * @returns {BlockError[]}
 */
export function checkBlocks(blocks, { root }) {
  mkdirSync(join(root, '.docs-check'), { recursive: true });
  const dir = mkdtempSync(join(root, '.docs-check', 'run-'));
  try {
    const byPath = new Map();
    for (const block of blocks) {
      // One folder per documentation file: a block quoting an example whole takes its name, so `./x.js` finds it.
      const folder = join(dir, block.file.replace(/[^\w-]/g, '_'));
      let path = join(folder, block.quotes ? basename(block.quotes).replace(/\.[cm]?ts$/, '.ts') : `line-${block.line}.ts`);
      if (byPath.has(path)) path = join(folder, `line-${block.line}.ts`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${block.code}\n`);
      byPath.set(path, block);
    }

    const { options, errors } = ts.convertCompilerOptionsFromJson(
      { ...COMPILER_OPTIONS, typeRoots: [join(root, 'node_modules', '@types')] },
      root,
    );
    if (errors.length > 0) throw new Error(errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('\n'));
    const program = ts.createProgram({ rootNames: [...byPath.keys()], options });

    // TypeScript orders errors by its own file names; the report follows the documentation's files and lines.
    const byPlace = (a, b) => a.file.localeCompare(b.file) || a.line - b.line;
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        const block = d.file && byPath.get(d.file.fileName);
        if (!block || d.start === undefined) {
          // Not in a block (a declaration file, the options): reported where TypeScript says.
          const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
          return { file: d.file?.fileName ?? '(compiler options)', line: where, code: d.code, message };
        }
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        return { file: block.file, line: block.line + line, code: d.code, message };
      })
      .sort(byPlace);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
