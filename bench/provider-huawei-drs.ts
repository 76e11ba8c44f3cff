import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../engine/src/engine.ts';
import { FAST_SIMULATED_DELAYS, type SimulatedDelays } from '../engine/src/executors/simulated.ts';
import { providerCalls } from './figures.ts';
import type { SimulatedProvider } from './simulated-provider.ts';

/**
 * huawei-drs: the DRS simulator is the built-in engine with its simulated executor, over signed
 * HTTP (DRS v3 batch endpoints). Jobs are shaped like test/integration/huawei-drs.test.ts's.
 */

const ACCESS_KEY = 'HPUAEXAMPLEACCESSKEY';
const SECRET_KEY = 'drs-simulator-Secret-Key-1';
/** The simulator must not throttle the run: 200/s instead of DRS's usual 20/s per account. */
const REQUESTS_PER_SECOND = 200;

/**
 * The fast test delays, but with a full transfer long enough (2 s) to be seen by a 1 s active
 * poll: the run then exercises batch-progress during FULL_TRANSFER_STARTED as a real one would.
 */
const BENCH_DELAYS: SimulatedDelays = { ...FAST_SIMULATED_DELAYS, fullTransferMs: 2000 };

export async function startDrsProvider(): Promise<SimulatedProvider> {
  const dataDir = await mkdtemp(join(tmpdir(), 'drs-bench-'));
  let engine: Engine;
  try {
    engine = await startEngine({ dataDir, credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, delays: BENCH_DELAYS });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    id: 'huawei-drs',
    credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
    providerConfig: { provider: 'huawei-drs', endpoint: engine.url, projectId: '054ba152d480d55b2f5dc0069e7ddef0' },
    requestsPerSecond: REQUESTS_PER_SECOND,
    jobSpec: (password) => ({
      direction: 'up',
      nodeType: 'high',
      network: { type: 'eip', subnetId: 'subnet-1' },
      target: { host: '203.0.113.20', port: 3306, user: 'root', passwordSecretRef: password },
      objects: { databases: [{ name: 'orders', tables: ['orders'] }] },
      syncPolicy: { conflict: 'overwrite' },
    }),
    statusCall: 'batch-status',
    calls: () => providerCalls(engine.stats()),
    resetCalls: () => engine.resetStats(),
    settings: {
      note: 'requestsPerSecond raised from the DRS default of 20 so the simulator run is not throttled',
      simulatorDelaysMs: BENCH_DELAYS,
    },
    close: async () => {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
