import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, for tests that read its files (docs, monitoring, compose files). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A path inside the repository, given from its root: `repoPath('docs/order-event.schema.json')`. */
export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
