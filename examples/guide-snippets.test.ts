import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

/** A whole file, or the lines between `// #region NAME` and the next `// #endregion`, unindented. */
export function snippet(path: string, region?: string): string {
  const text = read(path).replace(/\n$/, '');
  if (region === undefined) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${region}`);
  if (start < 0) throw new Error(`${path} has no region ${region}`);
  const body = lines.slice(
    start + 1,
    lines.findIndex((l, i) => i > start && l.trim() === '// #endregion'),
  );
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return body.map((l) => l.slice(indent)).join('\n');
}

/**
 * `<!-- snippet: PATH[#REGION] -->` followed by a fenced block: the block must be that file or region. The fence
 * may be ```ts fragment (a region that is not a whole module: `npm run docs:check` does not compile it).
 */
const QUOTE = /<!-- snippet: ([^\s#]+)(?:#(\S+))? -->\n```ts(?: fragment)?\n([\s\S]*?)\n?```/g;

// Pages that quote the examples; docs/library.md quotes nothing else.
const PAGES = [
  'docs/library.md',
  'docs/own-events.md',
  'README.md',
  'docs/getting-started.md',
  'packages/core/README.md',
  'packages/sneakers/README.md',
];

describe('documentation quotes the examples as they are', () => {
  for (const page of PAGES) {
    it(`${page}: every quoted snippet is the example's text`, () => {
      const quotes = [...read(page).matchAll(QUOTE)];
      expect(quotes.length).toBeGreaterThan(0);
      for (const [, path, region, block] of quotes) expect(block, `${page} quoting ${path}#${region ?? ''}`).toBe(snippet(path!, region));
    });
  }

  it('docs/library.md: every TypeScript block is a quoted example', () => {
    const page = read('docs/library.md');
    expect([...page.matchAll(/```ts(?: fragment)?\n/g)].length).toBe([...page.matchAll(QUOTE)].length);
  });
});
