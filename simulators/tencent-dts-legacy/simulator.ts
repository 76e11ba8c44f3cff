import { startApi3Simulator } from '../tencent-api3/simulator-endpoint.ts';
import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import { dtsLegacyApi } from './api.ts';
import type { MigrateJobStore } from './migrate-jobs.ts';

export { dtsLegacyApi } from './api.ts';

export interface DtsLegacySimulator extends RunningSimulator {
  /** The simulated account's migrate jobs, for in-process tests. */
  store: MigrateJobStore;
  /** Calls answered per action (errors included). */
  calls: Map<string, number>;
}

/**
 * Tencent DTS 2018-03-30 migrate jobs on an API 3.0 endpoint (service dts): TC3 signatures
 * verified with the given SecretId/SecretKey, 20 calls/s per action (RequestLimitExceeded beyond),
 * faults under /_sim/faults, call counts under /_sim/calls, and the job admin hooks of
 * dtsLegacyApi under /_sim/.
 */
export async function startDtsLegacySimulator(options: SimulatorOptions): Promise<DtsLegacySimulator> {
  const api = dtsLegacyApi({ ...(options.pace ? { pace: options.pace } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const server = await startApi3Simulator(options, api, { service: 'dts' });
  options.log?.info({ url: server.url, version: '2018-03-30' }, 'tencent-dts-legacy simulator listening');
  return { url: server.url, store: api.store, calls: server.calls, close: server.close };
}
