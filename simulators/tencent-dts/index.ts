import { systemClock } from '../../engine/src/clock.ts';
import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import type { AdminHandler, Api3Server } from '../tencent-api3/server.ts';
import { startApi3Simulator, type Api3Service } from '../tencent-api3/simulator-endpoint.ts';
import { dtsLegacyApi } from '../tencent-dts-legacy/api.ts';
import { dtsMigrationApi } from './migration/api.ts';
import { dtsSyncApi } from './sync/api.ts';

/**
 * The tencent-dts simulator: one API 3.0 endpoint (service dts) serving everything
 * dts.tencentcloudapi.com does for the operator, the API picked by X-TC-Version as the real host
 * picks it: DTS 2021-12-06 sync jobs and migration jobs, and DTS 2018-03-30 migrate jobs (the
 * tencent-dts-legacy provider). Handlers are keyed by version + action, so an action name both
 * versions have (StartMigrateJob, ModifyMigrateJob) reaches the right one; an unknown version is
 * refused NoSuchVersion. Rate limits are per version + action: 2021-12-06 DescribeSyncJobs allows
 * 100 calls/s, every other action 20/s. Admin endpoints: /_sim/sync/…, /_sim/migration/…,
 * /_sim/legacy/… (the 2018-03-30 job hooks, which the standalone tencent-dts-legacy simulator
 * serves at /_sim/… directly), /_sim/faults, /_sim/calls.
 */
export async function startDtsSimulator(options: SimulatorOptions): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'>> {
  const clock = options.clock ?? systemClock;
  const pace = options.pace ?? 'default';
  const sync = dtsSyncApi({ clock, pace });
  const migration = dtsMigrationApi({ clock, pace });
  const legacy = dtsLegacyApi({ clock, pace });
  const services: Api3Service[] = [sync, migration, { ...legacy, admin: adminUnder('legacy', legacy.admin) }];
  const server = await startApi3Simulator(
    options,
    {
      handlers: new Map(services.flatMap((s) => [...s.handlers])),
      admin: new Map(services.flatMap((s) => [...s.admin])),
      close: () => {
        for (const s of services) s.close();
      },
    },
    { service: 'dts', actionLimits: { '2021-12-06/DescribeSyncJobs': 100 } },
  );
  options.log?.info({ url: server.url, versions: ['2021-12-06', '2018-03-30'] }, 'Tencent DTS simulator listening');
  return server;
}

/**
 * A service's admin endpoints moved under `<prefix>/`: the 2018-03-30 hooks (jobs, check-outcome,
 * limits, hold-progress) would otherwise sit beside sync/… and migration/… with nothing saying
 * which API's jobs they mean.
 */
function adminUnder(prefix: string, admin: ReadonlyMap<string, AdminHandler>): Map<string, AdminHandler> {
  return new Map([...admin].map(([name, handler]) => [`${prefix}/${name}`, handler]));
}
