import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../../../../controller/src/reconcile/observation.ts';
import type { JobContext } from '../../../../../controller/src/reconcile/provider.ts';
import type { DtsMigrationAccount } from '../../../../../controller/src/providers/tencent-dts/migration/account.ts';
import { account, jobContext, migrationSpec, startSimulator } from './harness.ts';

/**
 * The account's actions against the simulator: each decided from the job's snapshot so that it
 * is safe to repeat, with the completion, stop and delete rules the docs describe.
 */
describe('tencent-dts migration account', () => {
  let env: Awaited<ReturnType<typeof startSimulator>>;
  let dts: DtsMigrationAccount;
  beforeAll(async () => {
    env = await startSimulator();
    dts = account(env.sim.url);
  });
  afterAll(async () => {
    await dts.close();
    await env.sim.close();
  });

  const observeUntil = async (job: JobContext, ok: (o: Observation | undefined) => boolean, what: string): Promise<Observation | undefined> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const o = await dts.observe(job);
      if (ok(o)) return o;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(o)}`);
      await new Promise((r) => setTimeout(r, 15));
    }
  };
  const calls = async () => (await env.admin('calls', undefined, 'GET')) as Record<string, number>;

  /** create → configure → check → start, up to `phase`. */
  async function running(job: JobContext, phase: 'FullSync' | 'IncrementalSync' | 'Completed'): Promise<JobContext> {
    const { jobId } = await dts.create(job);
    job.jobId = jobId;
    await observeUntil(job, (o) => o?.phase === 'Configuring' && o.providerStatus === 'created', 'created');
    await dts.configure(job);
    await dts.startPrecheck(job, 'start');
    await observeUntil(job, (o) => o?.precheck?.finished === true, 'pre-check finished');
    await dts.start(job);
    await observeUntil(job, (o) => o?.phase === phase, phase);
    return job;
  }

  it('finds a job by its exact name although DTS matches names loosely', async () => {
    const job = jobContext(migrationSpec(), 'rj-exact');
    const decoy = jobContext(migrationSpec(), 'rj-exact-not');
    await dts.create(decoy);
    expect(await dts.findJobByName(job)).toBeUndefined();
    const { jobId } = await dts.create(job);
    expect(jobId).toMatch(/^dts-/);
    expect(await dts.findJobByName(job)).toBe(jobId);
  });

  it('completes a caught-up full-and-incremental migration on stop, and sends nothing while it catches up', async () => {
    const job = await running(jobContext(), 'IncrementalSync');
    await env.admin(`migration/jobs/${job.jobId}/lag`, { seconds: 40 });
    await observeUntil(job, (o) => o?.providerStatus === 'running' && o.progress?.incrementalDelaySeconds === 40, 'running 40 s behind');
    // Behind: nothing is sent yet (the planner asks again; a deletion forces the stop after its timeout).
    const waiting = await calls();
    await dts.stop(job, { force: false });
    const sent = await calls();
    expect([sent.CompleteMigrateJob ?? 0, sent.StopMigrateJob ?? 0]).toEqual([waiting.CompleteMigrateJob ?? 0, waiting.StopMigrateJob ?? 0]);
    expect((await dts.observe(job))!.providerStatus).toBe('running');
    await env.admin(`migration/jobs/${job.jobId}/lag`, { seconds: 1 });
    await observeUntil(job, (o) => o?.providerStatus === 'readyComplete', 'readyComplete');
    const before = await calls();
    await dts.stop(job, { force: false });
    expect((await calls()).CompleteMigrateJob).toBe((before.CompleteMigrateJob ?? 0) + 1);
    expect(await observeUntil(job, (o) => o?.providerStatus === 'success', 'success')).toMatchObject({ phase: 'Stopped', deletable: true });
    // Stopping a finished job sends nothing.
    const after = await calls();
    await dts.stop(job, { force: false });
    expect((await calls()).StopMigrateJob ?? 0).toBe(after.StopMigrateJob ?? 0);
  });

  it('stops at once with stopMode abort or a forced stop', async () => {
    const job = await running(jobContext(migrationSpec({ providerOptions: { stopMode: 'abort' } })), 'IncrementalSync');
    await dts.stop(job, { force: false });
    expect(await observeUntil(job, (o) => o?.providerStatus === 'failed', 'failed after stop')).toMatchObject({ phase: 'Failed', error: { message: 'The task was stopped by the user' } });
    const forced = await running(jobContext(), 'IncrementalSync');
    await env.admin(`migration/jobs/${forced.jobId}/lag`, { seconds: 99 });
    await observeUntil(forced, (o) => o?.providerStatus === 'running', 'behind');
    await dts.stop(forced, { force: true });
    await observeUntil(forced, (o) => o?.providerStatus === 'failed', 'failed after forced stop');
  });

  it('pauses and resumes, each repeatable', async () => {
    const job = await running(jobContext(migrationSpec({ mode: 'full' })), 'FullSync');
    await dts.pause(job);
    await observeUntil(job, (o) => o?.providerStatus === 'manualPaused', 'manualPaused');
    await dts.pause(job); // already paused: nothing sent, no error
    await dts.resume(job);
    await observeUntil(job, (o) => o?.phase === 'Completed', 'completed after resume');
    await dts.resume(job); // no longer paused: nothing sent
  });

  it('retries a failed job with ResumeMigrateJob', async () => {
    const job = await running(jobContext(migrationSpec({ providerOptions: { resumeOption: 'overwrite' } })), 'IncrementalSync');
    await env.admin(`migration/jobs/${job.jobId}/fail`, { code: 'MigrateError.Binlog', message: 'binlog purged' });
    expect(await observeUntil(job, (o) => o?.phase === 'Failed' && o.error?.code !== undefined, 'failed with ErrorInfo')).toMatchObject({ recoverable: true, error: { code: 'MigrateError.Binlog' } });
    await dts.retry(job);
    await observeUntil(job, (o) => o?.phase === 'IncrementalSync', 'streaming again');
  });

  it('releases a never-started job on stop, and deletes by isolate → destroy until it is gone', async () => {
    const job = jobContext();
    job.jobId = (await dts.create(job)).jobId;
    await observeUntil(job, (o) => o?.providerStatus === 'created', 'created');
    await dts.stop(job, { force: false });
    expect(await observeUntil(job, (o) => o?.phase === 'Stopped', 'released')).toMatchObject({ deletable: true });
    await observeUntil(job, (o) => o?.providerStatus === 'created/isolated', 'isolated');
    const before = await calls();
    await dts.delete(job);
    expect((await calls()).DestroyMigrateJob).toBe((before.DestroyMigrateJob ?? 0) + 1);
    expect(await observeUntil(job, (o) => o === undefined, 'gone')).toBeUndefined();
    await dts.delete(job); // gone: nothing to do, no error
  });

  it('refuses what only a spec change fixes as terminal, and a busy status as retryable', async () => {
    const busy = jobContext();
    busy.jobId = (await dts.create(busy)).jobId;
    const conflict = await dts.start(busy).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ reason: 'ProviderConflict', terminal: false });
    const invalid = await dts.configure({ ...busy, spec: migrationSpec({ target: { host: 'db', port: 3306, user: 'root', passwordSecretRef: { name: 'd', key: 'p' } }, providerOptions: { targetAccessType: 'cdb' } }) }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ reason: 'ProviderRejected', terminal: true });
    expect((invalid as Error).message).not.toContain('Passw0rd');
  });
});
