import { nonEmpty, nonNegativeInt, positiveInt } from '../config/schemas.js';
import type { Setting } from '../config/settings.js';

/** Settings of the metrics/health endpoint and of shutdown, with a per-command default port. */
export function opsSettings(defaultPort: number) {
  return {
    metricsPort: {
      flag: 'metrics-port',
      value: 'port',
      env: 'SNEAKPIPE_METRICS_PORT',
      schema: nonNegativeInt('a port number (0: any free port)').max(65535, { error: 'expected a port number (0: any free port)' }),
      default: String(defaultPort),
      description: 'port of /metrics, /healthz and /readyz',
    },
    metricsHost: {
      flag: 'metrics-host',
      value: 'address',
      env: 'SNEAKPIPE_METRICS_HOST',
      schema: nonEmpty('an address to listen on'),
      default: '127.0.0.1',
      description: 'address of the metrics endpoint (0.0.0.0 to be scraped from other hosts)',
    },
    shutdownTimeoutMs: {
      flag: 'shutdown-timeout-ms',
      value: 'ms',
      env: 'SNEAKPIPE_SHUTDOWN_TIMEOUT_MS',
      schema: positiveInt(),
      default: '15000',
      description: 'after SIGTERM, the longest wait for in-flight work before exiting 1',
    },
  } satisfies Record<string, Setting>;
}
