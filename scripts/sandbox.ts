/**
 * npm run sandbox — drs-operator without a cluster: the Kubernetes API test server, the built-in
 * engine (PostgreSQL executor) and the operator, in one process. Prints a kubeconfig path for
 * kubectl; Ctrl-C stops everything.
 *
 *   npm run sandbox [-- --port 6443 --dir .sandbox]
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedEngine } from '../controller/src/embedded-engine.ts';
import { createLogger } from '../controller/src/observability/logger.ts';
import { createMetrics } from '../controller/src/observability/metrics.ts';
import { Operator } from '../controller/src/operator.ts';
import { providerFactories } from '../controller/src/providers/registry.ts';
import { startKubeApiServer } from '../test/support/kube-apiserver/index.ts';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, dir: { type: 'string', default: join(root, '.sandbox') }, 'log-level': { type: 'string', default: 'warn' } },
});
const dir = resolve(values.dir);
await mkdir(dir, { recursive: true });
const log = createLogger({ level: values['log-level'] as 'warn' });

const server = await startKubeApiServer({ crdDir: join(root, 'crds'), port: Number(values.port), historyLimit: 100_000 });
const kubeconfig = await server.writeKubeconfig(join(dir, 'kubeconfig'));
const kubeConfig = server.kubeConfig();
const engine = await startEmbeddedEngine({ kubeConfig, dataDir: join(dir, 'engine'), listen: { host: '127.0.0.1', port: 0 }, namespace: 'default', log });
const operator = new Operator({
  kubeConfig,
  providers: providerFactories(),
  log,
  metrics: createMetrics(),
  settings: {
    concurrency: 4,
    leaderElect: false,
    leaderElectionNamespace: 'default',
    leaderElectionId: 'drs-operator-leader',
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2000,
    identity: 'sandbox',
    resyncPeriodMs: 10 * 60_000,
    watchdogTimeoutMs: 5 * 60_000,
    backoffBaseMs: 1000,
    backoffMaxMs: 60_000,
    globalQps: 10,
    globalBurst: 100,
    defaultPollIntervalMs: 10_000,
  },
});
await operator.start();

process.stdout.write(
  [
    `drs-operator sandbox is running (API server ${server.url}, engine ${engine.url}).`,
    `kubeconfig: ${kubeconfig}`,
    '',
    `  export KUBECONFIG=${kubeconfig}`,
    '  kubectl apply -f examples/postgres-sync.yaml',
    '  kubectl get rj -w',
    '',
    'Ctrl-C stops it. Objects live in memory; the engine keeps its jobs in ' + join(dir, 'engine') + '.',
    '',
  ].join('\n'),
);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  await operator.stop();
  await engine.close();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
