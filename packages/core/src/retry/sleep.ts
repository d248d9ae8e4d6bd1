/**
 * Resolves after `ms`. `unref`: the wait alone does not keep the process
 * alive (a background retry must not hold a finished program open).
 */
export function sleep(ms: number, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (options.unref) timer.unref?.();
  });
}
