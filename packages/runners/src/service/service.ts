import type { Registry } from 'prom-client';
import type { Observable } from 'rxjs';
import type { Logger } from '../logger.js';
import { shutdownSignal } from '../shutdown.js';
import { startOpsServer, type OpsApi, type ReadinessChecks } from './http-server.js';

/** What a long-running command gets from {@link runService}. */
export interface ServiceContext {
  /** Fires once on SIGINT/SIGTERM. */
  readonly stop$: Observable<string>;
  /** Whether a stop was requested. */
  stopped(): boolean;
  /** The ops server's port (the one asked for, or the one chosen when 0 was). */
  readonly port: number;
}

/** Options of {@link runService}. */
export interface ServiceOptions {
  name: string;
  log: Logger;
  registry: Registry;
  checks: ReadinessChecks;
  /** The operator API served at `POST /api/<method>` (loopback only). */
  api?: OpsApi;
  metricsPort: number;
  metricsHost: string;
  shutdownTimeoutMs: number;
}

/**
 * The frame of `produce` and `consume`: serves /metrics, /healthz and /readyz
 * for the whole run, turns SIGINT/SIGTERM into a graceful stop, and bounds that
 * stop: if the work has not finished `shutdownTimeoutMs` after the signal, the
 * process exits 1 (what is uncommitted is replayed by the next run).
 */
export async function runService(options: ServiceOptions, work: (context: ServiceContext) => Promise<void>): Promise<void> {
  const { log } = options;
  const ops = await startOpsServer({
    port: options.metricsPort,
    host: options.metricsHost,
    registry: options.registry,
    checks: options.checks,
    ...(options.api ? { api: options.api } : {}),
  });
  log.info({ port: ops.port, host: options.metricsHost }, `${options.name}: metrics on http://${options.metricsHost}:${ops.port}/metrics`);
  const shutdown = shutdownSignal(log);
  let stopped = false;
  let deadline: NodeJS.Timeout | undefined;
  const stopping = shutdown.stop$.subscribe(() => {
    stopped = true;
    deadline = setTimeout(() => {
      log.error({ timeoutMs: options.shutdownTimeoutMs }, `${options.name}: in-flight work did not finish in time; exiting without it`);
      process.exit(1);
    }, options.shutdownTimeoutMs);
    deadline.unref();
  });
  try {
    await work({ stop$: shutdown.stop$, stopped: () => stopped, port: ops.port });
  } finally {
    clearTimeout(deadline);
    stopping.unsubscribe();
    shutdown.dispose();
    await ops.close();
  }
}
