import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Tests import the packages by name, resolved to their TypeScript sources, so
 * they always run against the code as it is, without a build.
 */
export const alias = [
  { find: /^@sneakpipe\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@sneakpipe\/connectors$/, replacement: src('connectors/src/index.ts') },
  { find: /^@sneakpipe\/connectors\/(.*)$/, replacement: src('connectors/src/$1/index.ts') },
  { find: /^@sneakpipe\/runners$/, replacement: src('runners/src/index.ts') },
];
