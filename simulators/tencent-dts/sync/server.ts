import { systemClock } from '../../../engine/src/clock.ts';
import type { RunningSimulator, SimulatorOptions } from '../../simulator.ts';
import type { Api3Server } from '../../tencent-api3/server.ts';
import { startApi3Simulator } from '../../tencent-api3/simulator-endpoint.ts';
import { dtsSyncApi } from './api.ts';

/**
 * The DTS sync-job simulator on its own API 3.0 endpoint (service dts; DescribeSyncJobs allows
 * 100 calls/s, every other action 20/s, as the API documents). Jobs live in memory.
 */
export async function startDtsSyncSimulator(
  options: SimulatorOptions,
): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'> & { api: ReturnType<typeof dtsSyncApi> }> {
  const api = dtsSyncApi({ clock: options.clock ?? systemClock, pace: options.pace ?? 'default' });
  const server = await startApi3Simulator(options, api, { service: 'dts', actionLimits: { DescribeSyncJobs: 100 } });
  options.log?.info({ url: server.url }, 'Tencent DTS sync simulator listening');
  return { ...server, api };
}
