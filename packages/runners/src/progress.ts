import cliProgress from 'cli-progress';

/** A progress display: a bar on a terminal, nothing elsewhere (logs stay clean in CI). */
export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

/** A bar on stderr when it is a terminal; a no-op otherwise or when `enabled` is false. */
export function createProgress(label: string, total: number, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% | {value}/{total} | {rate} ev/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(total, 0, { rate: 0 });
  return {
    update(done, extra = {}) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0, ...extra });
    },
    stop() {
      bar.stop();
    },
  };
}
