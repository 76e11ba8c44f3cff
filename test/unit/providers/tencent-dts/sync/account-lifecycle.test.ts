import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../../controller/src/api/replication-job-spec.ts';
import { ReconcileError } from '../../../../../controller/src/reconcile/errors.ts';
import type { Observation } from '../../../../../controller/src/reconcile/observation.ts';
import type { JobContext } from '../../../../../controller/src/reconcile/provider.ts';
import type { DtsSyncAccount } from '../../../../../controller/src/providers/tencent-dts/sync/account.ts';
import { dtsSyncAccountFactory } from '../../../../../controller/src/providers/tencent-dts/sync/factory.ts';
import { ManualClock, systemClock } from '../../../../../engine/src/clock.ts';
import { dtsSyncApi } from '../../../../../simulators/tencent-dts/sync/api.ts';
import type { SimSyncJob } from '../../../../../simulators/tencent-dts/sync/model.ts';
import { startApi3Server, type Api3Server } from '../../../../../simulators/tencent-api3/server.ts';

/**
 * The account's actions against the simulator: the DTS call each lifecycle step makes. The
 * simulated jobs move only when the test advances their clock, so every intermediate state the
 * test looks at is still there when it looks.
 */
const SECRET = { id: 'AKIDlifecycle', key: 'lifecycle-secret-key' };
const SRC_PASSWORD = 'Src-Passw0rd-lifecycle';

describe('DTS sync account actions', () => {
  const jobClock = new ManualClock(Date.now());
  const api = dtsSyncApi({ clock: jobClock, pace: 'fast' });
  let sim: Api3Server;
  let account: DtsSyncAccount;
  let n = 0;

  beforeAll(async () => {
    sim = await startApi3Server({ service: 'dts', credentials: { secretId: SECRET.id, secretKey: SECRET.key }, handlers: api.handlers, admin: api.admin, clock: systemClock });
    account = dtsSyncAccountFactory({
      key: 'ProviderConfig/test/dts',
      provider: 'tencent-dts',
      spec: { provider: 'tencent-dts', endpoint: sim.url, region: 'ap-guangzhou', pollIntervals: { active: '20ms', steady: '50ms' } },
      credentials: { secretId: SECRET.id, secretKey: SECRET.key },
      hooks: { defaultPollIntervalMs: 50 },
    }) as DtsSyncAccount;
  });
  afterAll(async () => {
    await account?.close();
    api.close();
    await sim?.close();
  });

  function ctx(extra: Record<string, unknown> = {}): JobContext {
    n++;
    const spec = ReplicationJobSpec.parse({
      providerRef: { kind: 'ProviderConfig', name: 'dts' },
      type: 'sync',
      engine: 'mysql',
      source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: 'src', key: 'password' } },
      target: { instanceId: 'cdb-abcd1234', user: 'root', passwordSecretRef: { name: 'dst', key: 'password' } },
      ...extra,
    });
    return { key: `test/job-${n}`, jobName: `rj-lifecycle-${n}`, uid: `uid-${n}`, spec, secrets: { get: () => '', sourcePassword: SRC_PASSWORD, targetPassword: 'Dst-Passw0rd' } };
  }
  const simJob = (id: string) => api.store.jobs.get(id) as SimSyncJob | undefined;

  async function until(job: JobContext, check: (o: Observation | undefined) => boolean, what: string): Promise<Observation | undefined> {
    for (let i = 0; i < 300; i++) {
      jobClock.advance(10);
      const o = await account.observe(job);
      if (check(o)) return o;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  async function created(extra: Record<string, unknown> = {}): Promise<JobContext> {
    const job = ctx(extra);
    job.jobId = (await account.create(job)).jobId;
    return job;
  }

  async function checked(job: JobContext): Promise<void> {
    await account.configure(job);
    await account.startPrecheck(job, 'start');
    await until(job, (o) => o?.precheck?.finished === true, 'the check to finish');
  }

  it('creates under the deterministic name and finds the job by it', async () => {
    const job = await created();
    expect(job.jobId).toMatch(/^sync-[a-z0-9]{8}$/);
    expect(simJob(job.jobId!)).toMatchObject({ JobName: job.jobName, Status: 'UnInitialized', PayMode: 'PostPay' });
    expect(await account.findJobByName(job)).toBe(job.jobId);
    expect(await account.findJobByName(ctx())).toBeUndefined();
  });

  it('configures both endpoints with their passwords and reads the check item by item', async () => {
    const job = await created({ objects: { databases: [{ name: 'orders', tables: ['orders'] }] } });
    await account.configure(job);
    expect(simJob(job.jobId!)!.config).toMatchObject({ SrcInfo: { Ip: '203.0.113.10', Password: SRC_PASSWORD }, DstInfo: { InstanceId: 'cdb-abcd1234' }, Objects: { Mode: 'Partial' } });
    await fetch(`${sim.url}/_sim/sync/check-outcome`, { method: 'POST', body: JSON.stringify({ errors: [{ StepId: 'SrcPrivilegeCheck', Message: 'repl lacks REPLICATION SLAVE', Solution: 'GRANT REPLICATION SLAVE ON *.* TO repl' }] }) });
    await account.startPrecheck(job, 'start');
    const failed = await until(job, (o) => o?.precheck?.finished === true, 'the check to finish');
    await fetch(`${sim.url}/_sim/sync/check-outcome`, { method: 'DELETE' });
    expect(failed).toMatchObject({ providerStatus: 'CheckNotPass', phase: 'Configuring', precheck: { passed: false, passedRate: '83%' } });
    expect(failed!.precheck!.items.filter((i) => i.result === 'FAILED')).toEqual([
      { item: 'Source privilege check', group: 'SrcPrivilegeCheck', result: 'FAILED', failedReason: 'repl lacks REPLICATION SLAVE. Fix: GRANT REPLICATION SLAVE ON *.* TO repl' },
    ]);
    // Checking again after the fix: the old result is not taken for the new check.
    await account.startPrecheck(job, 'start');
    expect((await account.observe(job))!.precheck).toMatchObject({ finished: false });
    expect(await until(job, (o) => o?.precheck?.finished === true, 'the re-check')).toMatchObject({ providerStatus: 'CheckPass', precheck: { passed: true } });
  });

  it('sets providerOptions.rateLimit before starting, then runs to incremental sync', async () => {
    const job = await created({ providerOptions: { rateLimit: { dumpThread: 4, sinkerThread: 64 } } });
    await checked(job);
    await account.start(job);
    expect(simJob(job.jobId!)!.rateLimit).toMatchObject({ DumpThread: 4, SinkerThread: 64, userSet: true });
    const running = await until(job, (o) => o?.phase === 'IncrementalSync', 'incremental sync');
    expect(running).toMatchObject({ providerStatus: 'Running', progress: { percent: 100, incrementalDelaySeconds: 0 } });
  });

  it('resumes a ResumableErr job; reports Failed as not recoverable', async () => {
    const job = await created();
    await checked(job);
    await account.start(job);
    await until(job, (o) => o?.phase === 'IncrementalSync', 'incremental sync');
    await fetch(`${sim.url}/_sim/sync/jobs/${job.jobId}/fail`, { method: 'POST', body: JSON.stringify({ Reason: 'DstWriteFailed', Message: 'duplicate key' }) });
    const failed = await until(job, (o) => o?.phase === 'Failed', 'the failure');
    expect(failed).toMatchObject({ recoverable: true, error: { code: 'DstWriteFailed', message: expect.stringContaining('duplicate key') } });
    await account.retry(job);
    await until(job, (o) => o?.phase === 'IncrementalSync', 'incremental sync after resume');
    await fetch(`${sim.url}/_sim/sync/jobs/${job.jobId}/fail`, { method: 'POST', body: JSON.stringify({ resumable: false }) });
    expect(await until(job, (o) => o?.phase === 'Failed', 'the failure')).toMatchObject({ recoverable: false, deletable: true });
  });

  it('stops a started job; terminates one that never started by isolating it', async () => {
    const running = await created();
    await checked(running);
    await account.start(running);
    await until(running, (o) => o?.phase === 'IncrementalSync', 'incremental sync');
    await account.stop(running, { force: false });
    expect(await until(running, (o) => o?.phase === 'Stopped', 'stopped')).toMatchObject({ providerStatus: 'Stopped', deletable: true });

    const idle = await created();
    await account.observe(idle);
    await account.stop(idle, { force: false });
    // Never billed: released by the isolation and gone.
    await until(idle, (o) => o === undefined, 'the unstarted job to disappear');
    expect(simJob(idle.jobId!)?.Status ?? 'removed').toMatch(/Released|removed/);
    jobClock.advance(100);
    expect(simJob(idle.jobId!)).toBeUndefined();
  });

  it('deletes a billed job: isolate, wait, destroy, gone — each delete() call doing the next step', async () => {
    const job = await created();
    await checked(job);
    await account.start(job);
    await until(job, (o) => o?.phase === 'IncrementalSync', 'incremental sync');
    await account.stop(job, { force: false });
    await until(job, (o) => o?.deletable === true, 'deletable');
    sim.calls.clear();
    await account.delete(job);
    expect(simJob(job.jobId!)!.TradeStatus).toBe('Isolating');
    expect((await account.observe(job))!.providerStatus).toBe('Stopped/Isolating');
    await account.delete(job); // isolating: nothing to send
    expect(simJob(job.jobId!)!.TradeStatus).toBe('Isolating');
    await until(job, (o) => o?.providerStatus === 'Stopped/Isolated', 'isolated');
    await account.delete(job);
    await until(job, (o) => o === undefined, 'the job to be gone');
    expect(Object.fromEntries([...sim.calls].filter(([action]) => action !== 'DescribeSyncJobs'))).toEqual({ IsolateSyncJob: 1, DestroySyncJob: 1 });
    // Deleting a job that is already gone is done, not an error.
    await expect(account.delete(job)).resolves.toBeUndefined();
  });

  it('frees a held create only for a job that was unconfigured: re-configuring a configured job does not', async () => {
    const configured = await created();
    await account.configure(configured);
    await account.observe(configured); // the snapshot now shows it configured
    const unused = await created();
    await fetch(`${sim.url}/_sim/sync/limits`, { method: 'POST', body: JSON.stringify({ maxUnusedJobs: 0 }) });
    await expect(account.create(ctx())).rejects.toMatchObject({ reason: 'ProviderQuotaExceeded', nothingCreated: true });
    await fetch(`${sim.url}/_sim/sync/limits`, { method: 'POST', body: JSON.stringify({ maxUnusedJobs: 50 }) });
    await account.configure(configured);
    expect(account.createHold(ctx())).toMatchObject({ waiting: true });
    await account.configure(unused);
    expect(account.createHold(ctx())).toBeUndefined();
  });

  it('classifies refusals: a full account is retried, a rejected request is terminal, a wrong state is retried', async () => {
    const unused = await created();
    await fetch(`${sim.url}/_sim/sync/limits`, { method: 'POST', body: JSON.stringify({ maxUnusedJobs: 0 }) });
    const quota = (await account.create(ctx()).catch((e: unknown) => e)) as ReconcileError;
    await fetch(`${sim.url}/_sim/sync/limits`, { method: 'POST', body: JSON.stringify({ maxUnusedJobs: 50 }) });
    expect(quota).toBeInstanceOf(ReconcileError);
    // Retryable, but definitely nothing created: the next attempt skips the lookup by name.
    expect(quota).toMatchObject({ reason: 'ProviderQuotaExceeded', terminal: false, nothingCreated: true, retryAfterMs: expect.any(Number) });
    // The account holds further creates instead of spending its budget on refusals: the
    // reconciler is told before it writes anything (createHold), and create() itself holds …
    sim.calls.clear();
    expect(account.createHold(ctx())).toMatchObject({ reason: 'ProviderQuotaExceeded', waiting: true, nothingCreated: true });
    const held = (await account.create(ctx()).catch((e: unknown) => e)) as ReconcileError;
    expect(held).toMatchObject({ reason: 'ProviderQuotaExceeded', nothingCreated: true, waiting: true });
    expect(held.retryAfterMs).toBeGreaterThan(0);
    expect(sim.calls.get('CreateSyncJob')).toBeUndefined();
    // … until a job gets configured (it no longer counts as unused): one create per job configured.
    await account.configure(unused);
    expect(account.createHold(ctx())).toBeUndefined();
    const next = await created();
    expect(next.jobId).toMatch(/^sync-/);
    await expect(account.create(ctx())).rejects.toMatchObject({ reason: 'ProviderQuotaExceeded', waiting: true });
    expect(sim.calls.get('CreateSyncJob')).toBe(1);
    await account.configure(next);

    const job = await created({ providerOptions: { target: { accessType: 'extranet' } } });
    const rejected = (await account.configure(job).catch((e: unknown) => e)) as ReconcileError;
    expect(rejected).toMatchObject({ reason: 'ProviderRejected', terminal: true, message: expect.stringContaining('DstInfo.Ip') });

    const conflict = (await account.pause(job).catch((e: unknown) => e)) as ReconcileError;
    expect(conflict).toMatchObject({ reason: 'ProviderConflict', terminal: false, message: expect.stringContaining('FailedOperation.StatusInConflict') });
    expect(JSON.stringify([quota.message, rejected.message, conflict.message])).not.toContain(SRC_PASSWORD);
  });
});
