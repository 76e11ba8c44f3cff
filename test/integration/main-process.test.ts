import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver/index.ts';
import { CRD_DIR, eventually, onRealCluster } from '../support/test-cluster.ts';

const root = join(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The operator as users run it (`npm start` → node controller/src/main.ts): it serves health and
 * metrics, takes the leader lease, and on SIGTERM stops intake, finishes, releases the lease
 * and exits 0.
 */
describe.skipIf(onRealCluster)('operator process', () => {
  let server: KubeApiServer;
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    server = await startKubeApiServer({ crdDir: CRD_DIR });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await server?.close();
  });

  it('starts, becomes ready and leader, serves metrics, and shuts down gracefully on SIGTERM', async () => {
    const kubeconfig = await server.writeKubeconfig();
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        'controller/src/main.ts',
        '--kubeconfig',
        kubeconfig,
        '--identity',
        'main-test',
        '--leader-election-namespace',
        'default',
        '--metrics-bind-address',
        `127.0.0.1:${port}`,
        '--health-bind-address',
        `127.0.0.1:${port}`,
      ],
      { cwd: root, env: { ...process.env, KUBECONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 'readyz 200', 20_000);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const leases = server.kubeConfig().makeApiClient(CoordinationV1Api);
    await eventually(async () => (await leases.readNamespacedLease({ name: 'drs-operator-leader', namespace: 'default' })).spec?.holderIdentity === 'main-test', 'lease held', 20_000);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('drs_operator_leader 1');
    expect(metrics).toMatch(/drs_operator_informer_healthy\{resource="replicationjobs"\} 1/);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lease = await leases.readNamespacedLease({ name: 'drs-operator-leader', namespace: 'default' });
    expect(lease.spec?.holderIdentity ?? '').toBe('');
    // Every log line is JSON (pino), and the shutdown is logged.
    const lines = output.trim().split('\n');
    expect(lines.every((l) => l.startsWith('{'))).toBe(true);
    expect(output).toContain('shutting down');
  });
});
