import { systemClock } from '../../../engine/src/clock.ts';
import type { Api3Server } from '../../tencent-api3/server.ts';
import { startApi3Simulator } from '../../tencent-api3/simulator-endpoint.ts';
import type { RunningSimulator, SimulatorOptions } from '../../simulator.ts';
import { dtsMigrationApi } from './api.ts';

/**
 * The DTS 2021-12-06 migration API alone on an API 3.0 endpoint (service dts, TC3 verified,
 * 20 requests/s per action, faults via /_sim/faults). The full tencent-dts simulator serves it
 * together with the sync half.
 */
export function startDtsMigrationSimulator(options: SimulatorOptions): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'>> {
  return startApi3Simulator(options, dtsMigrationApi({ clock: options.clock ?? systemClock, pace: options.pace ?? 'default' }), { service: 'dts' });
}
