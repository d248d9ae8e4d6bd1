import { fields, setting } from '@sneakpipe/core';

/** Settings of the metrics/health endpoint and of shutdown, with a per-command default port. */
export function opsSettings(defaultPort: number) {
  return {
    metricsPort: setting(
      fields
        .nonNegativeInt('a port number (0: any free port)')
        .max(65535, { error: 'expected a port number (0: any free port)' })
        .default(defaultPort),
      { flag: 'metrics-port', value: 'port', env: 'SNEAKPIPE_METRICS_PORT', description: 'port of /metrics, /healthz and /readyz' },
    ),
    metricsHost: setting(fields.nonEmpty('an address to listen on').default('127.0.0.1'), {
      flag: 'metrics-host',
      value: 'address',
      env: 'SNEAKPIPE_METRICS_HOST',
      description: 'address of the metrics endpoint (0.0.0.0 to be scraped from other hosts)',
    }),
    shutdownTimeoutMs: setting(fields.positiveInt().default(15000), {
      flag: 'shutdown-timeout-ms',
      value: 'ms',
      env: 'SNEAKPIPE_SHUTDOWN_TIMEOUT_MS',
      description: 'after SIGTERM, the longest wait for in-flight work before exiting 1',
    }),
  };
}
