// Finds the TypeScript code blocks of the documentation: fenced blocks of a
// Markdown page, and fenced blocks in the `@example` tags of doc comments.
// Each block keeps the line of the original file its code starts on, so a
// type error in it can be reported there.
//
// A block is TypeScript when its info string's first word is `ts` or
// `typescript` (GitHub and TypeDoc pick the language from that word alone).
// A further word `fragment` (```ts fragment) marks a narrative snippet that is
// not a whole module: it is counted, not compiled.

const TS_LANGS = new Set(['ts', 'typescript']);

/**
 * @typedef {object} Block
 * @property {string} file      where the block is, relative to the repository root
 * @property {number} line      1-based line of that file on which the code starts
 * @property {string} code
 * @property {boolean} fragment marked ```ts fragment: not compiled
 * @property {string} [quotes]  the example file the block quotes whole (`<!-- snippet: PATH -->`)
 */

/**
 * The fenced blocks of Markdown lines, any language.
 * @param {string[]} lines
 * @param {number} firstLine 1-based line number of `lines[0]` in its file
 */
function fences(lines, firstLine) {
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    // A backtick fence's info string cannot hold a backtick (CommonMark): `` ```a``` `` on one line is inline code.
    if (fence[0] === '`' && info.includes('`')) continue;
    const close = new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end])) end++;
    const [lang = '', ...words] = info.trim().split(/\s+/);
    // Content lines lose the fence's indentation (a block inside a list item), no more.
    const body = lines.slice(i + 1, end).map((l) => l.replace(new RegExp(`^ {0,${indent.length}}`), ''));
    found.push({ start: i, lang: lang.toLowerCase(), words, line: firstLine + i + 1, code: body.join('\n') });
    i = end;
  }
  return found;
}

const isTs = (fence) => TS_LANGS.has(fence.lang);

/**
 * The TypeScript blocks of a Markdown page.
 * @param {string} text
 * @param {string} file
 * @returns {Block[]}
 */
export function markdownBlocks(text, file) {
  const lines = text.split(/\r?\n/);
  return fences(lines, 1)
    .filter(isTs)
    .map((f) => {
      // A block right under `<!-- snippet: examples/x.ts -->` is that whole file (examples/guide-snippets.test.ts
      // keeps them equal): it is compiled under the file's name, so quoted examples import each other as `./x.js`.
      const quote = /^<!-- snippet: ([^\s#]+) -->$/.exec(lines[f.start - 1]?.trim() ?? '');
      return {
        file,
        line: f.line,
        code: f.code,
        fragment: f.words.includes('fragment'),
        ...(quote ? { quotes: quote[1] } : {}),
      };
    });
}

/**
 * The doc comments of a source file, as their text lines without the comment's
 * ` * ` decoration, each with the 1-based line of the file it is on.
 * @param {string} text
 */
function docComments(text) {
  const lines = text.split(/\r?\n/);
  const comments = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\/\*\*(?!\/)/.test(lines[i]) || lines[i].includes('*/')) continue; // one-line comments hold no example
    const body = [lines[i].replace(/^\s*\/\*\* ?/, '')];
    let j = i + 1;
    for (; j < lines.length && !/^\s*\*\//.test(lines[j]); j++) {
      body.push(lines[j].replace(/^\s*\* ?/, '').replace(/\s*\*\/\s*$/, ''));
      if (lines[j].includes('*/')) break;
    }
    comments.push({ firstLine: i + 1, lines: body });
    i = j;
  }
  return comments;
}

/**
 * The TypeScript blocks in the `@example` tags of a source file's doc comments.
 * An example without a fence is TypeScript as a whole, as TypeDoc renders it.
 * @param {string} text
 * @param {string} file
 * @returns {Block[]}
 */
export function exampleBlocks(text, file) {
  const blocks = [];
  for (const comment of docComments(text)) {
    const { lines } = comment;
    for (let i = 0; i < lines.length; i++) {
      if (!/^@example\b/.test(lines[i])) continue;
      // The tag runs to the next block tag; a line starting with `@` inside a fence (a decorator) is code.
      let end = i + 1;
      for (let inFence = false; end < lines.length; end++) {
        if (/^\s*(`{3,}|~{3,})/.test(lines[end])) inFence = !inFence;
        else if (!inFence && /^@\w/.test(lines[end])) break;
      }
      const content = lines.slice(i + 1, end);
      const found = fences(content, comment.firstLine + i + 1);
      if (found.length > 0) {
        for (const f of found.filter(isTs)) blocks.push({ file, line: f.line, code: f.code, fragment: f.words.includes('fragment') });
      } else if (content.some((l) => l.trim())) {
        blocks.push({ file, line: comment.firstLine + i + 1, code: content.join('\n'), fragment: false });
      }
      i = end - 1;
    }
  }
  return blocks;
}
