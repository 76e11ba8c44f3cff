import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../../controller/src/clock.ts';
import type { Observation } from '../../../../controller/src/reconcile/observation.ts';
import { ReconcileError } from '../../../../controller/src/reconcile/errors.ts';
import type { AccountConfig } from '../../../../controller/src/reconcile/provider-accounts.ts';
import type { JobContext } from '../../../../controller/src/reconcile/provider.ts';
import { DtsLegacyAccount } from '../../../../controller/src/providers/tencent-dts-legacy/account.ts';
import { dtsLegacyAccountFactory } from '../../../../controller/src/providers/tencent-dts-legacy/factory.ts';
import { TencentApiClient } from '../../../../controller/src/providers/tencent/api3-client.ts';
import { legacyMigrationSpec } from '../../../support/job-fixtures.ts';
import { startDtsLegacySimulator, type DtsLegacySimulator } from '../../../../simulators/tencent-dts-legacy/simulator.ts';
import { eventually } from '../../../support/test-cluster.ts';

const SECRET_ID = 'AKIDlegacyEXAMPLE';
const SECRET_KEY = 'legacy-Secret-Key-1';

/**
 * DtsLegacyAccount against the 2018-03-30 simulator over signed HTTP: the provider calls the
 * planner would make, in the order it makes them, and what each leaves at the provider.
 */
describe('DtsLegacyAccount against the DTS 2018-03-30 simulator', () => {
  let sim: DtsLegacySimulator;
  let account: DtsLegacyAccount;
  let n = 0;

  beforeAll(async () => {
    sim = await startDtsLegacySimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' });
    const client = new TencentApiClient({
      provider: 'tencent-dts-legacy',
      endpoint: sim.url,
      service: 'dts',
      version: '2018-03-30',
      region: 'ap-guangzhou',
      credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      sleep: async () => {},
    });
    account = new DtsLegacyAccount({ client, region: 'ap-guangzhou', pollIntervals: { activeMs: 20, steadyMs: 50 }, requestsPerSecond: 20, clock: systemClock });
  });
  afterAll(async () => {
    await account.close();
    await sim.close();
  });
  afterEach(async () => {
    sim.store.checkOutcome = { passed: true };
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  });

  function job(overrides: Record<string, unknown> = {}, secrets = { sourcePassword: 'src-Passw0rd', targetPassword: 'dst-Passw0rd' }): JobContext {
    n++;
    return {
      key: `ns/job-${n}`,
      jobName: `rj-account-test-${n}`,
      uid: `uid-${n}`,
      spec: ReplicationJobSpec.parse(legacyMigrationSpec(overrides)),
      secrets: { get: () => '', ...secrets },
    };
  }

  /** Observes until `ok` holds; the last observation (undefined once the job is gone). */
  async function observeUntil(ctx: JobContext, ok: (o: Observation | undefined) => boolean, what: string): Promise<Observation | undefined> {
    let last: Observation | undefined;
    await eventually(async () => {
      last = await account.observe(ctx);
      return ok(last);
    }, what);
    return last;
  }

  async function createAndPass(ctx: JobContext): Promise<void> {
    ctx.jobId = (await account.create(ctx)).jobId;
    await account.startPrecheck(ctx, 'start');
    await observeUntil(ctx, (o) => o?.precheck?.finished === true && o.precheck.passed, 'check passed');
  }

  it('creates with the whole configuration, checks, starts, reports progress and completes a full migration', async () => {
    const ctx = job();
    sim.calls.clear();
    const { jobId } = await account.create(ctx);
    ctx.jobId = jobId;
    expect(jobId).toMatch(/^dts-[a-z0-9]{8}$/);
    const stored = sim.store.get(jobId)!;
    expect(stored.config).toMatchObject({ JobName: ctx.jobName, MigrateOption: { MigrateType: 2, MigrateObject: 1 }, SrcInfo: { Password: 'src-Passw0rd', Region: 'ap-guangzhou' }, DstInfo: { Password: 'dst-Passw0rd' } });
    expect(await account.observe(ctx)).toMatchObject({ phase: 'Configuring', providerStatus: '1 Creating', deletable: true });

    await account.startPrecheck(ctx, 'start');
    const checked = await observeUntil(ctx, (o) => o?.precheck?.finished === true, 'check finished');
    expect(checked).toMatchObject({ phase: 'Configuring', providerStatus: '4 CheckPass', precheck: { passed: true } });

    sim.store.setProgress(jobId, 0, true);
    await account.start(ctx);
    sim.store.setProgress(jobId, 50, true);
    const running = await observeUntil(ctx, (o) => o?.progress?.percent === 50, 'progress 50%');
    expect(running).toMatchObject({ phase: 'FullSync', providerStatus: '7 Running' });
    sim.store.setProgress(jobId, 75, false);

    // At 8 ReadyComplete a full migration is completed by the account itself: 12 → 9 Success.
    const done = await observeUntil(ctx, (o) => o?.phase === 'Completed', 'Completed');
    expect(done).toMatchObject({ providerStatus: '9 Success', deletable: true, progress: { percent: 100 } });
    // The first check of a job this account created needs no ModifyMigrateJob; completion is one call.
    expect(sim.calls.get('ModifyMigrateJob')).toBeUndefined();
    expect(sim.calls.get('CompleteMigrateJob')).toBe(1);

    await account.delete(ctx);
    await account.delete(ctx); // idempotent: already gone
    await observeUntil(ctx, (o) => o === undefined, 'gone');
    expect(sim.store.get(jobId)).toBeUndefined();
  });

  it('reports a failed check with its message, and re-applies the current spec and Secrets before re-checking', async () => {
    sim.store.checkOutcome = { passed: false, errorMessage: 'Access denied for user repl (wrong password)' };
    const ctx = job();
    ctx.jobId = (await account.create(ctx)).jobId;
    await account.startPrecheck(ctx, 'start');
    const failed = await observeUntil(ctx, (o) => o?.precheck?.finished === true, 'check finished');
    expect(failed).toMatchObject({ phase: 'Configuring', providerStatus: '5 CheckNotPass', precheck: { passed: false } });
    expect(failed!.precheck!.items[0]).toMatchObject({ result: 'FAILED', failedReason: 'Access denied for user repl (wrong password) (ErrorCode -1)' });
    await expect(account.start(ctx)).rejects.toMatchObject({ reason: 'ProviderConflict', terminal: false });

    sim.store.checkOutcome = { passed: true };
    sim.calls.clear();
    const fixed: JobContext = { ...ctx, secrets: { get: () => '', sourcePassword: 'Fixed-Passw0rd', targetPassword: 'dst-Passw0rd' } };
    await account.startPrecheck(fixed, 'start');
    expect(sim.calls.get('ModifyMigrateJob')).toBe(1);
    expect(sim.store.get(ctx.jobId)!.config.SrcInfo.Password).toBe('Fixed-Passw0rd');
    await observeUntil(ctx, (o) => o?.precheck?.passed === true, 'check passed after the fix');
  });

  it('stop: completes a streaming job when spec.state is Stopped, cancels it otherwise, and releases a job never started', async () => {
    const streaming = job({ mode: 'fullAndIncremental', state: 'Stopped' });
    await createAndPass(streaming);
    await account.start(streaming);
    sim.store.setLag(streaming.jobId!, 4);
    const replicating = await observeUntil(streaming, (o) => o?.phase === 'IncrementalSync', 'IncrementalSync');
    expect(replicating).toMatchObject({ providerStatus: '8 ReadyComplete', progress: { percent: 100, incrementalDelaySeconds: 4 } });
    await account.stop(streaming, { force: false });
    expect(sim.store.get(streaming.jobId!)!.status).toBe(12);
    expect(await observeUntil(streaming, (o) => o?.providerStatus === '9 Success', 'completed')).toMatchObject({ phase: 'Stopped' });

    // Deleting (spec.state Running) a streaming job cancels it: StopMigrateJob → 11 → 10.
    const cancelled = job({ mode: 'fullAndIncremental' });
    await createAndPass(cancelled);
    await account.start(cancelled);
    await observeUntil(cancelled, (o) => o?.phase === 'IncrementalSync', 'IncrementalSync');
    await account.stop(cancelled, { force: false });
    expect(await observeUntil(cancelled, (o) => o?.providerStatus === '10 Failed', 'stopped')).toMatchObject({ phase: 'Failed', deletable: true, error: { message: 'The migration was cancelled by StopMigrateJob' } });

    // A job that never ran is released by Stopped (nothing to stop; Stopped is final).
    const idle = job({ state: 'Stopped' });
    idle.jobId = (await account.create(idle)).jobId;
    await account.observe(idle);
    await account.stop(idle, { force: false });
    expect(sim.store.get(idle.jobId)).toBeUndefined();
    await observeUntil(idle, (o) => o === undefined, 'released');
  });

  it('adopts its own job when CreateMigrateJob says the name exists (InternalError.DuplicateJob)', async () => {
    const ctx = job();
    const first = await account.create(ctx);
    const again = await account.create({ ...ctx, jobId: undefined } as JobContext);
    expect(again.jobId).toBe(first.jobId);
    expect(await account.findJobByName(ctx)).toBe(first.jobId);
    expect(sim.store.list().filter((j) => j.config.JobName === ctx.jobName)).toHaveLength(1);
  });

  it('turns refusals into the right errors: status conflicts retry, quota waits, bad parameters are terminal', async () => {
    const ctx = job();
    ctx.jobId = (await account.create(ctx)).jobId;
    await account.observe(ctx);
    const conflict = await account.start(ctx).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ReconcileError);
    expect(conflict).toMatchObject({ reason: 'ProviderConflict', terminal: false });

    // A request DTS refuses as invalid (here a name longer than its 64 characters) is terminal.
    const rejected = await account.create({ ...job(), jobName: `rj-${'x'.repeat(70)}` }).catch((e: unknown) => e);
    expect(rejected).toMatchObject({ terminal: true, reason: 'ProviderRejected' });
    expect((rejected as Error).message).toContain('JobName');
    expect((rejected as Error).message).not.toContain('src-Passw0rd');

    const before = sim.store.maxUnusedJobs;
    sim.store.maxUnusedJobs = 0;
    const quota = await account.create(job()).catch((e: unknown) => e);
    sim.store.maxUnusedJobs = before;
    // Definitely nothing created (no lookup by name next time), and retried later.
    expect(quota).toMatchObject({ reason: 'ProviderQuotaExceeded', terminal: false, nothingCreated: true, retryAfterMs: expect.any(Number) });
    // Further creates wait without asking DTS …
    const listed = sim.store.list().length;
    expect(account.createHold(job())).toMatchObject({ reason: 'ProviderQuotaExceeded', waiting: true });
    await expect(account.create(job())).rejects.toMatchObject({ reason: 'ProviderQuotaExceeded', waiting: true });
    expect(sim.store.list()).toHaveLength(listed);
    // … until one of the account's unused jobs is deleted (or started): then one create goes.
    await account.delete(ctx);
    expect(account.createHold(job())).toBeUndefined();
    await expect(account.create(job())).resolves.toMatchObject({ jobId: expect.any(String) });
    await expect(account.create(job())).rejects.toMatchObject({ waiting: true });
  });

  it('refuses what the planner never asks for, and spec.state Paused in validate()', async () => {
    expect(account.capabilities).toMatchObject({ configure: false, precheck: true, pause: false, resume: false, retry: false, stop: true });
    expect(account.validate(job({ state: 'Paused' }).spec)).toEqual([
      'spec.state Paused is not supported: the 2018-03-30 migrate API cannot pause a job; set spec.state to Running or Stopped',
    ]);
    await expect(account.pause(job())).rejects.toMatchObject({ terminal: true });
  });
});

describe('dtsLegacyAccountFactory', () => {
  const config = (credentials: Record<string, string>, spec: Record<string, unknown> = { region: 'ap-guangzhou' }): AccountConfig => ({
    key: 'ProviderConfig/ns/tencent',
    provider: 'tencent-dts-legacy',
    spec: { provider: 'tencent-dts-legacy', ...spec },
    credentials,
    hooks: { defaultPollIntervalMs: 1000 },
  });

  it('needs secretId + secretKey and a region', () => {
    expect(() => dtsLegacyAccountFactory(config({ accessKey: 'x', secretKey: 'y' }))).toThrow(/needs the keys secretId and secretKey/);
    expect(() => dtsLegacyAccountFactory(config({ secretId: 'x', secretKey: 'y' }, {}))).toThrow(/needs spec.region/);
  });

  it('builds an account for the default endpoint', async () => {
    const account = dtsLegacyAccountFactory(config({ secretId: 'AKIDx', secretKey: 'key', securityToken: 'token' }));
    expect(account.providerId).toBe('tencent-dts-legacy');
    expect(account.pollIntervals).toEqual({ activeMs: 1000, steadyMs: 1000 });
    await account.close();
  });
});
