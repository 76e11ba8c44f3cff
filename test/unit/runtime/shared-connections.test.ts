import { createServer, type Server } from 'node:http';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareConnections } from '../../../controller/src/runtime/shared-connections.ts';

/** A stand-in API server that counts TCP connections. */
describe('shareConnections', () => {
  let server: Server;
  let connections = 0;
  let url = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const kubeConfig = () => {
    const kc = new KubeConfig();
    // skip-verify gives the cluster TLS options, the case in which client-node builds an Agent per request.
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return kc;
  };

  const twentyCalls = async (kc: KubeConfig) => {
    const api = kc.makeApiClient(CoreV1Api);
    for (let i = 0; i < 20; i++) await api.listNamespacedSecret({ namespace: 'default' });
  };

  it('without it, client-node opens a connection per request (the problem)', async () => {
    connections = 0;
    await twentyCalls(kubeConfig());
    expect(connections).toBe(20);
  });

  it('with it, requests reuse keep-alive connections', async () => {
    connections = 0;
    await twentyCalls(shareConnections(kubeConfig()));
    // One pool: a connection or two for twenty calls, instead of twenty.
    expect(connections).toBeLessThanOrEqual(2);
  });
});
