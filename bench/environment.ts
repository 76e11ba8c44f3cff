import { createMetrics, type OperatorMetrics } from '../controller/src/observability/metrics.ts';
import { Operator } from '../controller/src/operator.ts';
import { startKubeApiServer, type KubeApiServer } from '../test/support/kube-apiserver/index.ts';
import { operatorSettings } from '../test/support/operator-harness.ts';
import { CRD_DIR } from '../test/support/test-cluster.ts';
import type { BenchProviderId } from './args.ts';
import { CountingLog } from './operator-log.ts';
import { startSimulatedProvider, type SimulatedProvider } from './simulated-provider.ts';
import { TrackedAccounts } from './tracked-accounts.ts';

/**
 * Everything a run needs, in one process: the Kubernetes API test server, the provider's
 * simulator (simulated-provider.ts), and the real operator.
 */

export const NAMESPACE = 'default';

/**
 * Operator settings that keep the Kubernetes side from being the bottleneck: more workers than
 * the default and a work-queue rate limit far above what N jobs need. No leader election:
 * one replica, working at once.
 */
export const BENCH_OPERATOR = { concurrency: 16, globalQps: 5000, globalBurst: 5000, leaderElect: false } as const;

export interface Environment {
  server: KubeApiServer;
  provider: SimulatedProvider;
  log: CountingLog;
  accounts: TrackedAccounts;
  /** The operator's Prometheus metrics (reconciles by result). */
  metrics: OperatorMetrics;
  startOperator(): Promise<void>;
  close(): Promise<void>;
}

export async function startEnvironment(jobs: number, providerId: BenchProviderId): Promise<Environment> {
  // Every status write, annotation and finalizer is a watch event; resuming watches must not
  // hit 410 Gone at scale just because the history is short.
  const server = await startKubeApiServer({ crdDir: CRD_DIR, historyLimit: Math.max(10_000, jobs * 50) });
  let provider: SimulatedProvider;
  try {
    provider = await startSimulatedProvider(providerId);
  } catch (error) {
    await server.close();
    throw error;
  }
  const log = new CountingLog();
  const accounts = new TrackedAccounts();
  const metrics = createMetrics();
  let operator: Operator | undefined;
  return {
    server,
    provider,
    log,
    accounts,
    metrics,
    startOperator: async () => {
      operator = new Operator({
        kubeConfig: server.kubeConfig(),
        settings: operatorSettings({ ...BENCH_OPERATOR, namespace: NAMESPACE, identity: 'drs-bench' }),
        providers: accounts.factories,
        log,
        metrics,
      });
      await operator.start();
    },
    // Operator first (it talks to both servers), then the simulator, then Kubernetes.
    close: async () => {
      await operator?.stop();
      await provider.close();
      await server.close();
    },
  };
}
