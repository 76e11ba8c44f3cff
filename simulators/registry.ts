import type { ProviderId } from '../controller/src/api/provider-config.ts';
import { startDrsSimulator } from './engine-simulator.ts';
import { startClickHouseSimulator } from './huawei-clickhouse/server.ts';
import { startCdbSimulator } from './tencent-cdb/simulator.ts';
import { startDtsLegacySimulator } from './tencent-dts-legacy/simulator.ts';
import { startDtsSimulator } from './tencent-dts/index.ts';
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
  'huawei-clickhouse': { credentials: 'huawei', describes: 'GaussDB(for MySQL) → ClickHouse replication API (AK/SK; IAM tokens at the same URL)', start: startClickHouseWithIamFromEnv },
  'tencent-dts': { credentials: 'tencent', describes: 'Tencent DTS 2021-12-06 sync and migration jobs (API 3.0, TC3-HMAC-SHA256)', start: startDtsSimulator },
  'tencent-dts-legacy': { credentials: 'tencent', describes: 'Tencent DTS 2018-03-30 migrate jobs (API 3.0, TC3-HMAC-SHA256)', start: startDtsLegacySimulator },
  'tencent-cdb': { credentials: 'tencent', describes: 'Tencent CDB data-sync task API v2 (CreateCdbDataSyncTask … DelCdbDataSyncTask)', start: startCdbSimulator },
  local: { credentials: 'huawei', describes: 'the built-in engine speaking DRS v3 (simulated executor)', start: startDrsSimulator },
};

/** SIMULATOR_IAM_USERNAME / _PASSWORD / _DOMAIN (all three) let clients get IAM tokens from the ClickHouse simulator too. */
function startClickHouseWithIamFromEnv(options: SimulatorOptions): Promise<RunningSimulator> {
  const { SIMULATOR_IAM_USERNAME: username, SIMULATOR_IAM_PASSWORD: password, SIMULATOR_IAM_DOMAIN: domainName } = process.env;
  return startClickHouseSimulator({ ...options, ...(username && password && domainName ? { iam: { username, password, domainName } } : {}) });
}
