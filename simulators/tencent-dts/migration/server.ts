import { systemClock } from '../../../engine/src/clock.ts';
import { startApi3Server, type Api3Server } from '../../tencent-api3/server.ts';
import type { RunningSimulator, SimulatorOptions } from '../../simulator.ts';
import { dtsMigrationApi } from './api.ts';

/**
 * The DTS 2021-12-06 migration API alone on an API 3.0 endpoint (service dts, TC3 verified,
 * 20 requests/s per action, faults via /_sim/faults). The full tencent-dts simulator serves it
 * together with the sync half.
 */
export async function startDtsMigrationSimulator(options: SimulatorOptions): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'>> {
  const clock = options.clock ?? systemClock;
  const api = dtsMigrationApi({ clock, pace: options.pace ?? 'default' });
  try {
    const server = await startApi3Server({
      service: 'dts',
      credentials: { secretId: options.credentials.id, secretKey: options.credentials.key },
      handlers: api.handlers,
      admin: api.admin,
      clock,
      ...(options.listen ? { listen: options.listen } : {}),
    });
    return {
      url: server.url,
      calls: server.calls,
      faults: server.faults,
      close: async () => {
        api.close();
        await server.close();
      },
    };
  } catch (error) {
    api.close();
    throw error;
  }
}
