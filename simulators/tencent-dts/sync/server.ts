import { systemClock } from '../../../engine/src/clock.ts';
import type { RunningSimulator, SimulatorOptions } from '../../simulator.ts';
import { startApi3Server, type Api3Server } from '../../tencent-api3/server.ts';
import { dtsSyncApi } from './api.ts';

/**
 * The DTS sync-job simulator on its own API 3.0 endpoint (service dts; DescribeSyncJobs allows
 * 100 calls/s, every other action 20/s, as the API documents). Jobs live in memory.
 */
export async function startDtsSyncSimulator(
  options: SimulatorOptions,
): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'> & { api: ReturnType<typeof dtsSyncApi> }> {
  const clock = options.clock ?? systemClock;
  const api = dtsSyncApi({ clock, pace: options.pace ?? 'default' });
  const server = await startApi3Server({
    service: 'dts',
    credentials: { secretId: options.credentials.id, secretKey: options.credentials.key },
    handlers: api.handlers,
    admin: api.admin,
    actionLimits: { DescribeSyncJobs: 100 },
    clock,
    ...(options.listen ? { listen: options.listen } : {}),
  });
  options.log?.info({ url: server.url }, 'Tencent DTS sync simulator listening');
  return {
    url: server.url,
    calls: server.calls,
    faults: server.faults,
    api,
    close: async () => {
      api.close();
      await server.close();
    },
  };
}
