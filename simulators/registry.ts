import type { ProviderId } from '../controller/src/api/provider-config.ts';
import { startDrsSimulator } from './engine-simulator.ts';
import type { RunningSimulator, SimulatorOptions } from './simulator.ts';

/**
 * Provider id → its simulator. `credentials` says which environment variables hold the pair
 * clients sign with: Tencent SecretId/SecretKey, or Huawei AK/SK.
 */
export interface SimulatorEntry {
  credentials: 'tencent' | 'huawei';
  /** What the simulator serves, for --help and the start-up line. */
  describes: string;
  start(options: SimulatorOptions): Promise<RunningSimulator>;
}

export const SIMULATORS: Partial<Record<ProviderId, SimulatorEntry>> = {
  'huawei-drs': { credentials: 'huawei', describes: 'Huawei DRS v3 batch API (the built-in engine, simulated executor)', start: startDrsSimulator },
  local: { credentials: 'huawei', describes: 'the built-in engine speaking DRS v3 (simulated executor)', start: startDrsSimulator },
};
