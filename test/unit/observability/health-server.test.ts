import { createServer } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type HealthServerOptions } from '../../../controller/src/observability/health-server.ts';
import { createMetrics } from '../../../controller/src/observability/metrics.ts';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Partial<HealthServerOptions> = {}) {
  const server = await startHealthServer({ host: '127.0.0.1', port: 0, ...options });
  servers.push(server);
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, init);
    return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
  };
  return { server, get };
}

describe('startHealthServer', () => {
  it('binds port 0 to a free port and reports it', async () => {
    const { server } = await start({ checks: { live: () => true, ready: () => true } });
    expect(server.port).toBeGreaterThan(0);
    expect(server.host).toBe('127.0.0.1');
  });

  it('answers /healthz and /readyz with 200 ok when the checks pass', async () => {
    const { get } = await start({ checks: { live: () => true, ready: async () => true } });
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get('/readyz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('answers /healthz with 500 and the reason when liveness fails', async () => {
    const { get } = await start({
      checks: { live: () => ({ ok: false, reason: 'event loop stalled for 30s' }), ready: () => true },
    });
    expect(await get('/healthz')).toEqual({
      status: 500,
      body: 'check: event loop stalled for 30s\n',
      contentType: 'text/plain; charset=utf-8',
    });
  });

  it('answers /readyz with 503 naming each failed check', async () => {
    const { get } = await start({
      checks: {
        live: () => true,
        ready: {
          leader: () => true,
          'informer-replicationjobs': () => ({ ok: false, reason: 'initial list not finished' }),
          'provider-config': () => {
            throw new Error('ClusterProviderConfig "default" not found');
          },
          'kube-api': async () => false,
        },
      },
    });
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toBe(
      'informer-replicationjobs: initial list not finished\n' +
        'provider-config: ClusterProviderConfig "default" not found\n' +
        'kube-api: check failed\n',
    );
  });

  it('serves Prometheus text on /metrics with the registry content type', async () => {
    const metrics = createMetrics(new Registry());
    metrics.setLeader(true);
    const { get } = await start({ registry: metrics.registry, checks: { live: () => true, ready: () => true } });
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe(metrics.registry.contentType);
    expect(res.body).toContain('drs_operator_leader 1');
  });

  it('answers 404 for other paths and for halves that are not served', async () => {
    const { get } = await start({ registry: new Registry() });
    expect((await get('/')).status).toBe(404);
    expect((await get('/healthz')).status).toBe(404);
    expect((await get('/metrics')).status).toBe(200);
    expect((await get('/metrics?x=1')).status).toBe(200);
  });

  it('answers 405 for methods other than GET and HEAD', async () => {
    const { get } = await start({ checks: { live: () => true, ready: () => true } });
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
    expect((await get('/healthz', { method: 'HEAD' })).status).toBe(200);
  });

  it('rejects with an actionable message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startHealthServer({ host: '127.0.0.1', port, registry: new Registry() })).rejects.toThrow(
        new RegExp(`cannot listen on 127.0.0.1:${port} .*--health-bind-address`),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('close() stops the server even with keep-alive connections open', async () => {
    const { server, get } = await start({ checks: { live: () => true, ready: () => true } });
    await get('/healthz');
    servers.splice(servers.indexOf(server), 1);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });
});
