import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * A DuckDB file's owner card, `<file>.owner.json`: which process has the file
 * open and where its operator endpoint is. DuckDB lets one process open a
 * file; the commands that need it while a consumer runs find the consumer
 * through this card and go through it.
 */
export interface OwnerCard {
  readonly pid: number;
  /** Base URL of the owner's ops server, e.g. `http://127.0.0.1:8002`. */
  readonly url: string;
}

export const ownerCardPath = (warehouseFile: string) => `${warehouseFile}.owner.json`;

/** Writes the card; returns a function that removes it (only if it is still this process's). */
export function writeOwnerCard(warehouseFile: string, card: OwnerCard): () => void {
  const path = ownerCardPath(warehouseFile);
  writeFileSync(path, `${JSON.stringify(card)}\n`);
  return () => {
    if (readOwnerCard(warehouseFile)?.pid === card.pid) rmSync(path, { force: true });
  };
}

/** The card of a live owner, or undefined (no card, unreadable, or its process is gone). */
export function readOwnerCard(warehouseFile: string): OwnerCard | undefined {
  let card: OwnerCard;
  try {
    card = JSON.parse(readFileSync(ownerCardPath(warehouseFile), 'utf8')) as OwnerCard;
  } catch {
    return undefined;
  }
  try {
    process.kill(card.pid, 0);
    return card;
  } catch (error) {
    // EPERM: alive, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? card : undefined;
  }
}
