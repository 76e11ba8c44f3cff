import { startDtsSimulator } from '../simulators/tencent-dts/index.ts';
import { PACES } from '../simulators/tencent-dts/sync/pace.ts';
import { api3Calls } from './figures.ts';
import type { SimulatedProvider } from './simulated-provider.ts';

/**
 * tencent-dts: the DTS simulator (API 3.0, TC3-signed, DTS 2021-12-06 sync jobs) at pace
 * `fast`, with Tencent's own request limits left as they are: 20 calls/s per action,
 * DescribeSyncJobs 100/s. The ProviderConfig asks for 20/s, Tencent's figure, so the client
 * keeps each action to 20/s and polling to half of that. Jobs are sync jobs shaped like
 * examples/tencent-dts-mysql-sync.yaml and test/integration/tencent-dts-sync.test.ts.
 */

const SECRET_ID = 'AKIDdtsBenchmarkEXAMPLE';
const SECRET_KEY = 'dts-benchmark-Secret-Key';
const REQUESTS_PER_SECOND = 20;
const PACE = 'fast';
/** What startDtsSimulator enforces (Tencent's documented limits); the benchmark does not change them. */
const SIMULATOR_LIMITS = { eachAction: 20, DescribeSyncJobs: 100 };

export async function startDtsProvider(): Promise<SimulatedProvider> {
  const sim = await startDtsSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: PACE });
  const outcomes = watchOutcomes(sim.faults);
  return {
    id: 'tencent-dts',
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    providerConfig: { provider: 'tencent-dts', endpoint: sim.url, region: 'ap-guangzhou' },
    requestsPerSecond: REQUESTS_PER_SECOND,
    jobSpec: (password) => ({
      nodeType: 'medium',
      target: { instanceId: 'cdb-abcd1234', user: 'root', passwordSecretRef: password },
      objects: { databases: [{ name: 'orders', tables: ['orders', 'order_items'] }] },
      syncPolicy: { conflict: 'overwrite', ddl: true },
      // ModifySyncRateLimit before StartSyncJob, as the example does.
      providerOptions: { rateLimit: { dumpThread: 4, sinkerThread: 32 } },
    }),
    statusCall: 'DescribeSyncJobs',
    calls: () => api3Calls(sim.calls, outcomes.passedLimit, outcomes.succeeded),
    resetCalls: () => {
      sim.calls.clear();
      outcomes.passedLimit.clear();
      outcomes.succeeded.clear();
    },
    settings: {
      note: "Tencent's real limits, not raised: the simulator allows 20 calls/s per action (DescribeSyncJobs 100/s); the client keeps each action to min(requestsPerSecond, 20)/s and polling to half of requestsPerSecond",
      simulatorRequestLimitsPerSecond: SIMULATOR_LIMITS,
      simulatorPace: PACE,
      simulatorPaceMs: PACES[PACE],
    },
    close: () => sim.close(),
  };
}

/** The two steps of the simulator's fault injector that a call passes through, as the bench sees them. */
interface FaultSteps {
  beforeCall(action: string, mutating: boolean): unknown;
  dropResponse(action: string): boolean;
}

/**
 * Tencent answers every call HTTP 200, errors in the body, and the simulator's `calls` counts
 * answers of every kind. Where they ended is read from its fault injector, which an answered
 * call reaches in two places: `beforeCall` (simulators/shared/injected-fault.ts) once the
 * signature and the action's rate limit let it through, `dropResponse`
 * (simulators/tencent-api3/server.ts) once the action answered without an error. The counters are the bench's own; no fault is injected.
 */
function watchOutcomes(faults: FaultSteps): { passedLimit: Map<string, number>; succeeded: Map<string, number> } {
  const passedLimit = new Map<string, number>();
  const succeeded = new Map<string, number>();
  const beforeCall = faults.beforeCall.bind(faults);
  const dropResponse = faults.dropResponse.bind(faults);
  faults.beforeCall = (action, mutating) => {
    passedLimit.set(action, (passedLimit.get(action) ?? 0) + 1);
    return beforeCall(action, mutating);
  };
  faults.dropResponse = (action) => {
    succeeded.set(action, (succeeded.get(action) ?? 0) + 1);
    return dropResponse(action);
  };
  return { passedLimit, succeeded };
}
