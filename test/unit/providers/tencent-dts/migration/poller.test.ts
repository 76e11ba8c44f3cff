import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../../controller/src/clock.ts';
import { DtsMigrationClient } from '../../../../../controller/src/providers/tencent-dts/migration/client.ts';
import { MigrationPoller } from '../../../../../controller/src/providers/tencent-dts/migration/poller.ts';
import { apiClient, REGION, startSimulator } from './harness.ts';

/**
 * The batched observation against the simulator: a round costs ceil(N/100) DescribeMigrationJobs
 * calls for N tracked jobs, and per-job calls only for a job whose pre-check runs.
 */
describe('tencent-dts migration poller', () => {
  let env: Awaited<ReturnType<typeof startSimulator>>;
  let client: DtsMigrationClient;
  // A fresh account per case: every job tagged managed-by=drs-operator is listed, tracked or not.
  beforeEach(async () => {
    env = await startSimulator();
    client = new DtsMigrationClient(apiClient(env.sim.url));
  });
  afterEach(async () => {
    await client.close();
    await env.sim.close();
  });

  const service = (count: number, tagged: boolean) => ({
    SrcDatabaseType: 'mysql',
    DstDatabaseType: 'mysql',
    SrcRegion: REGION,
    DstRegion: REGION,
    InstanceClass: 'small',
    Count: count,
    JobName: tagged ? 'rj-batch' : 'someone-else',
    ...(tagged ? { Tags: [{ TagKey: 'managed-by', TagValue: 'drs-operator' }] } : {}),
  });

  async function createJobs(n: number, tagged = true): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < n) ids.push(...(await client.createService(service(Math.min(15, n - ids.length), tagged))));
    return ids;
  }

  /** Calls per action made by `rounds` complete poll rounds (none in flight at either end). */
  async function callsOver(poller: MigrationPoller, rounds: number): Promise<Record<string, number>> {
    await poller.stop();
    await env.admin('calls', undefined, 'DELETE');
    const start = poller.rounds;
    poller.start();
    while (poller.rounds < start + rounds) await new Promise((r) => setTimeout(r, 10));
    await poller.stop();
    const made = poller.rounds - start;
    const calls = (await env.admin('calls', undefined, 'GET')) as Record<string, number>;
    return { ...calls, rounds: made };
  }

  function newPoller() {
    return new MigrationPoller({ client, activeMs: 10, steadyMs: 10, requestsPerSecond: 10_000, clock: systemClock, onChange: () => undefined });
  }

  it.each([
    [100, 1],
    [250, 3],
  ])('reads %i tracked jobs with %i DescribeMigrationJobs calls a round, nothing per job', async (n, perRound) => {
    const ids = await createJobs(n);
    await createJobs(30, false); // other jobs of the account are not listed
    const o = newPoller();
    o.start();
    const seen = await Promise.all(ids.map((id) => o.read(id)));
    expect(seen.every((t) => t.snapshot?.status === 'created' || t.snapshot?.status === 'creating')).toBe(true);
    const calls = await callsOver(o, 3);
    expect(calls.DescribeMigrationJobs).toBe(perRound * calls.rounds!);
    expect(calls.DescribeMigrationCheckJob ?? 0).toBe(0);
    expect(calls.DescribeMigrationDetail ?? 0).toBe(0);
  });

  it('adds one DescribeMigrationCheckJob a round only for the job whose check runs, and one detail read when a job fails', async () => {
    const [checking, steady] = await createJobs(2);
    const o = newPoller();
    o.start();
    await Promise.all([o.read(checking!), o.read(steady!)]);
    await new Promise((r) => setTimeout(r, 60)); // creating → created
    const config = (JobId: string) => ({
      JobId,
      RunMode: 'immediate' as const,
      MigrateOption: { DatabaseTable: { ObjectMode: 'all' as const }, MigrateType: 'fullAndIncrement' as const },
      SrcInfo: { Region: REGION, AccessType: 'extranet', DatabaseType: 'mysql', NodeType: 'simple' as const, Info: [{ Host: '203.0.113.10', Port: 3306, User: 'u', Password: 'p' }] },
      DstInfo: { Region: REGION, AccessType: 'extranet', DatabaseType: 'mysql', NodeType: 'simple' as const, Info: [{ Host: '203.0.113.20', Port: 3306, User: 'u', Password: 'p' }] },
    });
    await client.modifyJob(config(checking!));
    await client.createCheckJob(checking!);
    o.expectPrecheck(checking!);
    const during = await callsOver(o, 2);
    expect(during.DescribeMigrationCheckJob).toBeGreaterThanOrEqual(1);
    expect(during.DescribeMigrationCheckJob).toBeLessThanOrEqual(during.rounds!);
    // Finished and read: no more check calls.
    o.start();
    const done = await (async () => {
      for (;;) {
        const t = await o.read(checking!);
        if (t.snapshot?.status === 'checkPass' && t.snapshot.check?.result?.CheckFlag === 'checkPass') return t.snapshot;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    expect(done.check?.result?.Status).toBe('success');
    const after = await callsOver(o, 3);
    expect(after.DescribeMigrationCheckJob ?? 0).toBe(0);

    // A failed job: its ErrorInfo is read once.
    await client.start(checking!);
    o.start();
    for (;;) {
      const t = await o.read(checking!);
      if (t.snapshot?.status === 'running') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await env.admin(`migration/jobs/${checking}/fail`, { code: 'MigrateError.Binlog', message: 'source binlog purged' });
    for (;;) {
      const t = await o.read(checking!);
      if (t.snapshot?.error) {
        expect(t.snapshot.error).toEqual({ code: 'MigrateError.Binlog', message: 'source binlog purged Solution: Fix the cause, then retry the task' });
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const failed = await callsOver(o, 3);
    expect(failed.DescribeMigrationDetail ?? 0).toBe(0);
    await o.stop();
  });
});
