import { ReplicationJobSpec } from '../../../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../../../controller/src/clock.ts';
import type { JobContext } from '../../../../../controller/src/reconcile/provider.ts';
import { DtsMigrationAccount } from '../../../../../controller/src/providers/tencent-dts/migration/account.ts';
import { DtsMigrationClient } from '../../../../../controller/src/providers/tencent-dts/migration/client.ts';
import { TencentApiClient } from '../../../../../controller/src/providers/tencent/api3-client.ts';
import { startDtsMigrationSimulator } from '../../../../../simulators/tencent-dts/migration/server.ts';

/** The DTS migration simulator (fast pace) and a provider account talking to it over signed HTTP. */
export const CREDENTIALS = { secretId: 'AKIDmigrationTEST', secretKey: 'dts-migration-Secret-1' };
export const REGION = 'ap-guangzhou';

export async function startSimulator() {
  const sim = await startDtsMigrationSimulator({ credentials: { id: CREDENTIALS.secretId, key: CREDENTIALS.secretKey }, pace: 'fast' });
  const admin = async (path: string, body?: unknown, method = 'POST') => {
    const response = await fetch(`${sim.url}/_sim/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!response.ok) throw new Error(`admin ${path}: ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  return { sim, admin };
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

export function migrationSpec(overrides: object = {}): ReplicationJobSpec {
  return ReplicationJobSpec.parse({
    providerRef: { kind: 'ProviderConfig', name: 'tencent' },
    type: 'migration',
    engine: 'mysql',
    mode: 'fullAndIncremental',
    source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: 'src', key: 'password' } },
    target: { instanceId: 'cdb-c1nl9rpv', user: 'root', passwordSecretRef: { name: 'dst', key: 'password' } },
    ...overrides,
  });
}

let counter = 0;
export function jobContext(spec: ReplicationJobSpec = migrationSpec(), jobName = `rj-test-${++counter}`): JobContext {
  return { key: `test/${jobName}`, jobName, uid: jobName, spec, secrets: { get: () => '', sourcePassword: 'Src-Passw0rd', targetPassword: 'Dst-Passw0rd' } };
}
