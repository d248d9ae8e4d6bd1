import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleBlocks, markdownBlocks } from './blocks.mjs';
import { checkBlocks } from './typecheck.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('markdownBlocks', () => {
  const page = [
    '# Title', // 1
    '```bash', // 2
    'npm ci', // 3
    '```', // 4
    '```ts', // 5
    "import { z } from 'zod';", // 6
    'const n = 1;', // 7
    '```', // 8
    '```ts fragment', // 9
    'source.pipe(batch()),', // 10
    '```', // 11
    '- a list item:', // 12
    '', // 13
    '  ```typescript', // 14
    '  const m = 2;', // 15
    '  ```', // 16
    '<!-- snippet: examples/custom-source.ts -->', // 17
    '```ts', // 18
    'export const x = 1;', // 19
    '```', // 20
  ].join('\n');
  const blocks = markdownBlocks(page, 'docs/page.md');

  it('finds the TypeScript blocks only, each at the line its code starts on', () => {
    expect(blocks.map((b) => [b.line, b.code])).toEqual([
      [6, "import { z } from 'zod';\nconst n = 1;"],
      [10, 'source.pipe(batch()),'],
      [15, 'const m = 2;'],
      [19, 'export const x = 1;'],
    ]);
    expect(blocks.every((b) => b.file === 'docs/page.md')).toBe(true);
  });

  it('marks ```ts fragment blocks, and only those', () => {
    expect(blocks.map((b) => b.fragment)).toEqual([false, true, false, false]);
  });

  it('names the example file a block quotes whole', () => {
    expect(blocks.map((b) => b.quotes)).toEqual([undefined, undefined, undefined, 'examples/custom-source.ts']);
  });
});

describe('exampleBlocks', () => {
  const source = [
    '/**', // 1
    ' * Adds one.', // 2
    ' *', // 3
    ' * @example', // 4
    ' * ```ts', // 5
    " * import { addOne } from '@acme/math';", // 6
    ' *', // 7
    ' * addOne(1); // 2', // 8
    ' * ```', // 9
    ' * @param n a number', // 10
    ' */', // 11
    'export function addOne(n: number): number {', // 12
    '  return n + 1;', // 13
    '}', // 14
    '', // 15
    '  /**', // 16
    '   * @example', // 17
    '   * twice(2); // 4', // 18
    '   */', // 19
    '/** @example not a block: one-line comment */', // 20
    '/*', // 21
    ' * @example', // 22
    ' * ```ts', // 23
    ' * notADocComment();', // 24
    ' * ```', // 25
    ' */', // 26
    '/**', // 27
    ' * @example', // 28
    ' * ```ts fragment', // 29
    ' * narrative(),', // 30
    ' * ```', // 31
    ' */', // 32
  ].join('\n');
  const blocks = exampleBlocks(source, 'packages/x/src/math.ts');

  it('finds fenced and unfenced examples of doc comments, without the comment decoration, at their lines', () => {
    expect(blocks.map((b) => [b.line, b.code, b.fragment])).toEqual([
      [6, "import { addOne } from '@acme/math';\n\naddOne(1); // 2", false],
      [18, 'twice(2); // 4', false],
      [30, 'narrative(),', true],
    ]);
  });
});

describe('checkBlocks', () => {
  it('reports a type error at the documentation line it is on', () => {
    const blocks = [
      // Top-level await and an import: compiled as a module.
      { file: 'docs/ok.md', line: 3, code: "import { join } from 'node:path';\nawait Promise.resolve(join('a', 'b'));", fragment: false },
      { file: 'docs/zz-x.md', line: 10, code: 'const ok = 1;\nconst n: number = "not a number";', fragment: false },
    ];
    const errors = checkBlocks(blocks, { root });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'docs/zz-x.md', line: 11, code: 2322 });
    expect(errors[0].message).toMatch(/not assignable to type 'number'/);
  });
});
