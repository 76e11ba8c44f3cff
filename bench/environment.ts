import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetrics, type OperatorMetrics } from '../controller/src/observability/metrics.ts';
import { Operator } from '../controller/src/operator.ts';
import { startEngine, type Engine } from '../engine/src/engine.ts';
import { FAST_SIMULATED_DELAYS, type SimulatedDelays } from '../engine/src/executors/simulated.ts';
import { startKubeApiServer, type KubeApiServer } from '../test/support/kube-apiserver/index.ts';
import { operatorSettings } from '../test/support/operator-harness.ts';
import { CRD_DIR } from '../test/support/test-cluster.ts';
import { CountingLog } from './operator-log.ts';
import { TrackedAccounts } from './tracked-accounts.ts';

/**
 * Everything a run needs, in one process: the Kubernetes API test server, the DRS simulator
 * (the built-in engine with its simulated executor, over signed HTTP), and the real operator.
 */

export const NAMESPACE = 'default';
export const ACCESS_KEY = 'HPUAEXAMPLEACCESSKEY';
export const SECRET_KEY = 'drs-simulator-Secret-Key-1';

/**
 * The fast test delays, but with a full transfer long enough (2 s) to be seen by a 1 s active
 * poll: the run then exercises batch-progress during FULL_TRANSFER_STARTED as a real one would.
 */
export const BENCH_DELAYS: SimulatedDelays = { ...FAST_SIMULATED_DELAYS, fullTransferMs: 2000 };

/**
 * Operator settings that keep the Kubernetes side from being the bottleneck: more workers than
 * the default and a work-queue rate limit far above what N jobs need. No leader election:
 * one replica, working at once.
 */
export const BENCH_OPERATOR = { concurrency: 16, globalQps: 5000, globalBurst: 5000, leaderElect: false } as const;

export interface Environment {
  server: KubeApiServer;
  engine: Engine;
  log: CountingLog;
  accounts: TrackedAccounts;
  /** The operator's Prometheus metrics (reconciles by result). */
  metrics: OperatorMetrics;
  startOperator(): Promise<void>;
  close(): Promise<void>;
}

export async function startEnvironment(jobs: number): Promise<Environment> {
  // Every status write, annotation and finalizer is a watch event; resuming watches must not
  // hit 410 Gone at scale just because the history is short.
  const server = await startKubeApiServer({ crdDir: CRD_DIR, historyLimit: Math.max(10_000, jobs * 50) });
  const dataDir = await mkdtemp(join(tmpdir(), 'drs-bench-'));
  let engine: Engine;
  try {
    engine = await startEngine({ dataDir, credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, delays: BENCH_DELAYS });
  } catch (error) {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const log = new CountingLog();
  const accounts = new TrackedAccounts();
  const metrics = createMetrics();
  let operator: Operator | undefined;
  return {
    server,
    engine,
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
      await engine.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
