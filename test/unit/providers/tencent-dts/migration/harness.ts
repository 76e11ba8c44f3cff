import { ReplicationJobSpec } from '../../../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../../../controller/src/clock.ts';
import type { JobContext } from '../../../../../controller/src/reconcile/provider.ts';
import { DtsMigrationAccount } from '../../../../../controller/src/providers/tencent-dts/migration/account.ts';
import { DtsMigrationClient } from '../../../../../controller/src/providers/tencent-dts/migration/client.ts';
import { TencentApiClient } from '../../../../../controller/src/providers/tencent/api3-client.ts';
import { startDtsMigrationSimulator } from '../../../../../simulators/tencent-dts/migration/server.ts';
import { jobContextFor, mysqlToCdbSpec, type MysqlToCdbJob } from '../../../../support/job-fixtures.ts';
import { simulatorAdmin } from '../../../../support/simulator-admin.ts';

/** The DTS migration simulator (fast pace) and a provider account talking to it over signed HTTP. */
export const CREDENTIALS = { secretId: 'AKIDmigrationTEST', secretKey: 'dts-migration-Secret-1' };
export const REGION = 'ap-guangzhou';

export async function startSimulator() {
  const sim = await startDtsMigrationSimulator({ credentials: { id: CREDENTIALS.secretId, key: CREDENTIALS.secretKey }, pace: 'fast' });
  return { sim, admin: simulatorAdmin(sim.url) };
}

export function apiClient(url: string) {
  return new TencentApiClient({ provider: 'tencent-dts', endpoint: url, service: 'dts', version: '2021-12-06', region: REGION, credentials: CREDENTIALS, retry: { baseMs: 5, maxMs: 20 } });
}

export function account(url: string) {
  return new DtsMigrationAccount({
    client: new DtsMigrationClient(apiClient(url)),
    region: REGION,
    pollIntervals: { activeMs: 20, steadyMs: 50 },
    requestsPerSecond: 1000,
    clock: systemClock,
  });
}

/** The migration the DTS migration tests start from; the spec-mapping tests add objects to it. */
export const MIGRATION: MysqlToCdbJob = {
  providerConfig: 'tencent',
  type: 'migration',
  mode: 'fullAndIncremental',
  targetInstanceId: 'cdb-c1nl9rpv',
  passwords: { source: { name: 'src', key: 'password' }, target: { name: 'dst', key: 'password' } },
};

export function migrationSpec(overrides: object = {}): ReplicationJobSpec {
  return ReplicationJobSpec.parse(mysqlToCdbSpec(MIGRATION, overrides));
}

let counter = 0;
/** A distinct job name per call, so jobs of one test file never meet at the simulator. */
export function jobContext(spec: ReplicationJobSpec = migrationSpec(), jobName = `rj-test-${++counter}`): JobContext {
  return jobContextFor(spec, { key: `test/${jobName}`, uid: jobName, jobName });
}
