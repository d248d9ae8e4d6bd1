import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { SettingsError } from '../config/settings.js';

/** Named readiness checks: each says whether one dependency is usable now. */
export type ReadinessChecks = Record<string, () => boolean>;

/** A running metrics and health endpoint. */
export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves what operators and Prometheus need:
 * - `GET /metrics`: the registry in Prometheus text format;
 * - `GET /healthz`: 200 while the process runs;
 * - `GET /readyz`: 200 when every check passes, else 503; the body lists each check.
 */
export async function startOpsServer(options: {
  port: number;
  host: string;
  registry: Registry;
  checks: ReadinessChecks;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text))
        .catch((error: Error) => res.writeHead(500).end(error.message));
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
      return;
    }
    if (path === '/readyz') {
      const checks = Object.fromEntries(Object.entries(options.checks).map(([name, check]) => [name, check()]));
      const ready = Object.values(checks).every(Boolean);
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ ready, checks })}\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics, /healthz or /readyz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EADDRNOTAVAIL'
          ? new SettingsError(
              `invalid setting --metrics-port (or SNEAKPIPE_METRICS_PORT): ${options.host}:${options.port} is not available (${error.code}); choose another port, or 0 for any free one`,
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
