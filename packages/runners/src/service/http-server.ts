import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { SettingsError } from '../config/settings.js';

/** Named readiness checks: each says whether one dependency is usable now. */
export type ReadinessChecks = Record<string, () => boolean>;

/** Answers `POST /api/<method>` with a status and a JSON body (see `answerWarehouseOps`). */
export type OpsApi = (method: string, body: string) => Promise<{ status: number; body: unknown }>;

/** Whether a request comes from this machine: the operator API answers no one else. */
const fromLoopback = (address: string | undefined) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/** A running metrics and health endpoint. */
export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves what operators and Prometheus need:
 * - `GET /metrics`: the registry in Prometheus text format;
 * - `GET /healthz`: 200 while the process runs;
 * - `GET /readyz`: 200 when every check passes, else 503; the body lists each check;
 * - `POST /api/<method>`: the operator commands' calls (`api`), from loopback only.
 */
export async function startOpsServer(options: {
  port: number;
  host: string;
  registry: Registry;
  checks: ReadinessChecks;
  api?: OpsApi;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path.startsWith('/api/') && options.api) {
      if (!fromLoopback(req.socket.remoteAddress)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"the operator API answers loopback only"}\n');
        return;
      }
      const api = options.api;
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        api(path.slice('/api/'.length), body)
          .then((answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(`${JSON.stringify(answer.body)}\n`))
          .catch((error: Error) =>
            res.writeHead(500, { 'content-type': 'application/json' }).end(`${JSON.stringify({ error: error.message })}\n`),
          );
      });
      return;
    }
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
