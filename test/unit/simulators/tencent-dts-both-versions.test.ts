import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../controller/src/clock.ts';
import type { Observation } from '../../../controller/src/reconcile/observation.ts';
import type { JobContext } from '../../../controller/src/reconcile/provider.ts';
import { DtsLegacyAccount } from '../../../controller/src/providers/tencent-dts-legacy/account.ts';
import { TencentApiClient } from '../../../controller/src/providers/tencent/api3-client.ts';
import { startDtsSimulator } from '../../../simulators/tencent-dts/index.ts';
import { legacyMigrationSpec } from '../../support/job-fixtures.ts';
import { eventually } from '../../support/test-cluster.ts';

const SECRET_ID = 'AKIDbothVersionsEXAMPLE';
const SECRET_KEY = 'both-Versions-Key-1';

/**
 * The tencent-dts simulator answers on one endpoint what dts.tencentcloudapi.com answers: DTS
 * 2018-03-30 (the tencent-dts-legacy provider) and 2021-12-06, picked by X-TC-Version, with the
 * 2018-03-30 admin hooks under /_sim/legacy/.
 */
describe('tencent-dts simulator: DTS 2018-03-30 and 2021-12-06 on one endpoint', () => {
  let sim: Awaited<ReturnType<typeof startDtsSimulator>>;
  let legacy: DtsLegacyAccount;
  /** A signed API 3.0 client of the simulator for `version`, as the providers build theirs. */
  const clientFor = (version: string, provider: 'tencent-dts' | 'tencent-dts-legacy' = 'tencent-dts') =>
    new TencentApiClient({ provider, endpoint: sim.url, service: 'dts', version, region: 'ap-guangzhou', credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY }, sleep: async () => {} });
  const admin = async (path: string, init?: { method: string; body: unknown }) =>
    (await fetch(`${sim.url}/_sim/legacy/${path}`, init ? { method: init.method, body: JSON.stringify(init.body) } : {})).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    sim = await startDtsSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' });
    legacy = new DtsLegacyAccount({ client: clientFor('2018-03-30', 'tencent-dts-legacy'), region: 'ap-guangzhou', pollIntervals: { activeMs: 20, steadyMs: 50 }, requestsPerSecond: 20, clock: systemClock });
  });
  afterAll(async () => {
    await legacy.close();
    await sim.close();
  });

  const ctx: JobContext = {
    key: 'ns/legacy-on-shared-host',
    jobName: 'rj-legacy-on-shared-host',
    uid: 'uid-shared-host',
    spec: ReplicationJobSpec.parse(legacyMigrationSpec()),
    secrets: { get: () => '', sourcePassword: 'src-Passw0rd', targetPassword: 'dst-Passw0rd' },
  };

  async function observeUntil(ok: (o: Observation | undefined) => boolean, what: string): Promise<Observation | undefined> {
    let last: Observation | undefined;
    await eventually(async () => ok((last = await legacy.observe(ctx))), what);
    return last;
  }

  it('drives a 2018-03-30 migrate job through the legacy provider: create → check → start → describe', async () => {
    ctx.jobId = (await legacy.create(ctx)).jobId;
    expect(ctx.jobId).toMatch(/^dts-[a-z0-9]{8}$/);
    await legacy.startPrecheck(ctx, 'start');
    expect(await observeUntil((o) => o?.precheck?.finished === true, 'check finished')).toMatchObject({ providerStatus: '4 CheckPass', precheck: { passed: true } });

    // The legacy admin hooks live under /_sim/legacy/ here: hold the copy at 40% to see it running.
    expect(await admin('hold-progress', { method: 'POST', body: { percent: 40 } })).toEqual({ percent: 40 });
    await legacy.start(ctx);
    expect(await observeUntil((o) => o?.progress?.percent === 40, 'progress 40%')).toMatchObject({ phase: 'FullSync', providerStatus: '7 Running' });
    expect(await admin(`jobs/${ctx.jobId}`)).toMatchObject({ id: ctx.jobId, name: ctx.jobName, status: 7, held: true });
    expect(sim.calls.get('DescribeMigrateJobs')).toBeGreaterThan(0);
  });

  it('answers 2021-12-06 on the same endpoint, by version + action', async () => {
    const unchecked = { ...ctx, key: 'ns/unchecked', jobName: 'rj-unchecked', uid: 'uid-unchecked' };
    const { jobId } = await legacy.create(unchecked);
    const v2021 = clientFor('2021-12-06');
    const v2018 = clientFor('2018-03-30');
    try {
      expect(await v2021.call('DescribeSyncJobs', {})).toMatchObject({ TotalCount: 0, JobList: [] });
      // StartMigrateJob exists in both versions: in 2021-12-06 it is the migration API, which has no such job …
      await expect(v2021.call('StartMigrateJob', { JobId: jobId })).rejects.toMatchObject({ code: 'ResourceNotFound.JobNotExist' });
      // … and in 2018-03-30 the legacy one, which has it (and refuses to start it before a passed check).
      await expect(v2018.call('StartMigrateJob', { JobId: jobId })).rejects.toMatchObject({ code: 'FailedOperation.NotAllowOperation' });
    } finally {
      await v2021.close();
      await v2018.close();
    }
  });

  it('refuses an unknown X-TC-Version with NoSuchVersion', async () => {
    const future = clientFor('2099-01-01');
    await expect(future.call('DescribeMigrateJobs', {})).rejects.toMatchObject({ code: 'NoSuchVersion', providerMessage: expect.stringContaining('2099-01-01') });
    await future.close();
  });
});
