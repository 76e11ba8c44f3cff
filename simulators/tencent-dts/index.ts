import { systemClock } from '../../engine/src/clock.ts';
import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import type { Api3Server } from '../tencent-api3/server.ts';
import { startApi3Simulator } from '../tencent-api3/simulator-endpoint.ts';
import { dtsMigrationApi } from './migration/api.ts';
import { dtsSyncApi } from './sync/api.ts';

/**
 * The tencent-dts simulator: one API 3.0 endpoint (service dts) serving DTS 2021-12-06 sync jobs
 * and migration jobs, as dts.tencentcloudapi.com does. DescribeSyncJobs allows 100 calls/s,
 * every other action 20/s. Admin endpoints: /_sim/sync/…, /_sim/migration/…, /_sim/faults,
 * /_sim/calls.
 */
export async function startDtsSimulator(options: SimulatorOptions): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'>> {
  const clock = options.clock ?? systemClock;
  const pace = options.pace ?? 'default';
  const sync = dtsSyncApi({ clock, pace });
  const migration = dtsMigrationApi({ clock, pace });
  const server = await startApi3Simulator(
    options,
    {
      handlers: new Map([...sync.handlers, ...migration.handlers]),
      admin: new Map([...sync.admin, ...migration.admin]),
      close: () => {
        sync.close();
        migration.close();
      },
    },
    { service: 'dts', actionLimits: { DescribeSyncJobs: 100 } },
  );
  options.log?.info({ url: server.url }, 'Tencent DTS simulator listening');
  return server;
}
