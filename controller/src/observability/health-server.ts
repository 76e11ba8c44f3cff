import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * Serves the kubelet probes and the Prometheus scrape endpoint:
 *   GET /healthz  liveness: 200 "ok", or 500 naming the failed check
 *   GET /readyz   readiness: 200 "ok", or 503 naming the failed check
 *   GET /metrics  Prometheus text format
 * --metrics-bind-address and --health-bind-address may differ, so either half can
 * be left out and two servers started.
 */

/** `false`, or `{ ok: false, reason }`, fails the check; a thrown error fails it with its message. */
export type CheckResult = boolean | { ok: boolean; reason?: string };
export type HealthCheck = () => CheckResult | Promise<CheckResult>;
/** One check, or several named ones so a failure says which one failed (e.g. `informer-replicationjobs`). */
export type HealthChecks = HealthCheck | Readonly<Record<string, HealthCheck>>;

export interface HealthServerOptions {
  host: string;
  /** 0 picks a free port; read it back from the returned handle. */
  port: number;
  /** Serve /metrics from this registry; omit to serve probes only. */
  registry?: Registry;
  /** Serve /healthz and /readyz; omit to serve metrics only. */
  checks?: { live: HealthChecks; ready: HealthChecks };
}

export interface HealthServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

interface Failure {
  name: string;
  reason: string;
}

async function runChecks(checks: HealthChecks): Promise<Failure[]> {
  const named = typeof checks === 'function' ? { check: checks } : checks;
  const results = await Promise.all(
    Object.entries(named).map(async ([name, check]): Promise<Failure | undefined> => {
      try {
        const result = await check();
        if (result === true || (typeof result === 'object' && result.ok)) return undefined;
        const reason = typeof result === 'object' && result.reason ? result.reason : 'check failed';
        return { name, reason };
      } catch (err) {
        return { name, reason: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  return results.filter((failure): failure is Failure => failure !== undefined);
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function probe(res: ServerResponse, checks: HealthChecks, failStatus: number): Promise<void> {
  const failures = await runChecks(checks);
  if (failures.length === 0) {
    send(res, 200, 'ok\n');
    return;
  }
  send(res, failStatus, failures.map((f) => `${f.name}: ${f.reason}\n`).join(''));
}

export function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { registry, checks } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const known = (path === '/metrics' && registry) || ((path === '/healthz' || path === '/readyz') && checks);
    if (!known) {
      send(res, 404, `not found: ${path}; try /healthz, /readyz or /metrics\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, `method ${req.method ?? ''} not allowed; use GET\n`);
      return;
    }
    if (path === '/metrics' && registry) {
      send(res, 200, await registry.metrics(), registry.contentType);
    } else if (path === '/healthz' && checks) {
      await probe(res, checks.live, 500);
    } else if (path === '/readyz' && checks) {
      await probe(res, checks.ready, 503);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      else res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `cannot listen on ${options.host}:${options.port} for health/metrics: ${err.message}; ` +
            'choose another address with --health-bind-address / --metrics-bind-address',
          { cause: err },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive connections from Prometheus would otherwise hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
