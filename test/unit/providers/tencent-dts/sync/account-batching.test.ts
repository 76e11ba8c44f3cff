import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../../../engine/src/clock.ts';
import { DtsSyncAccount } from '../../../../../controller/src/providers/tencent-dts/sync/account.ts';
import { DtsSyncClient } from '../../../../../controller/src/providers/tencent-dts/sync/client.ts';
import { TencentApiClient } from '../../../../../controller/src/providers/tencent/api3-client.ts';
import { dtsSyncApi } from '../../../../../simulators/tencent-dts/sync/api.ts';
import { PACES } from '../../../../../simulators/tencent-dts/sync/pace.ts';
import { startApi3Server, type Api3Handler, type Api3Server } from '../../../../../simulators/tencent-api3/server.ts';

/**
 * Observation cost against the DTS sync simulator over signed HTTP. The simulator's jobs move on
 * their own manual clock; the account polls on another, so every poll round is one the test
 * started and the calls it made can be counted exactly.
 */
const REGION = 'ap-guangzhou';
const credentials = { secretId: 'AKIDbatching', secretKey: 'batching-secret-key' };
const ACTIVE_MS = 1_000;
const STEADY_MS = 5_000;

describe('DTS sync account: batched observation', () => {
  const apiClock = new ManualClock(Date.now());
  const api = dtsSyncApi({ clock: apiClock, pace: 'fast' });
  const describeBatches: number[] = [];
  let server: Api3Server;
  let accountClock: ManualClock;
  let account: DtsSyncAccount | undefined;

  beforeAll(async () => {
    // Record the size of every DescribeSyncJobs batch the account sends.
    const handlers = new Map<string, Api3Handler>(api.handlers);
    const describeJobs = handlers.get('2021-12-06/DescribeSyncJobs')!;
    handlers.set('2021-12-06/DescribeSyncJobs', (params, ctx) => {
      if (Array.isArray(params.JobIds)) describeBatches.push(params.JobIds.length);
      return describeJobs(params, ctx);
    });
    server = await startApi3Server({ service: 'dts', credentials, handlers, admin: api.admin, actionLimits: { DescribeSyncJobs: 100 }, clock: systemClock });
    api.admin.get('sync/limits')!({ maxUnusedJobs: 10_000 }, 'POST');
  });
  afterAll(async () => {
    api.close();
    await server.close();
  });
  afterEach(async () => {
    await account?.close();
    account = undefined;
  });

  const call = async (action: string, params: Record<string, unknown>) => (await api.handlers.get(`2021-12-06/${action}`)!(params, { region: REGION, requestId: 't' })) as { JobIds?: string[] };

  async function createJobs(n: number): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < n) {
      const count = Math.min(10, n - ids.length);
      ids.push(...(await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION, Count: count, JobName: `batch-${ids.length}` })).JobIds!);
    }
    return ids;
  }

  async function configureAndCheck(ids: string[]): Promise<void> {
    for (const id of ids) {
      await call('ConfigureSyncJob', {
        JobId: id,
        SrcAccessType: 'extranet',
        DstAccessType: 'cdb',
        Objects: { Mode: 'All' },
        SrcInfo: { Region: REGION, Ip: '203.0.113.10', Port: 3306, User: 'repl', Password: 'p' },
        DstInfo: { Region: REGION, InstanceId: 'cdb-1', User: 'root', Password: 'p' },
      });
      await call('CreateCheckSyncJob', { JobId: id });
    }
  }

  async function runningJobs(n: number): Promise<string[]> {
    const ids = await createJobs(n);
    await configureAndCheck(ids);
    apiClock.advance(PACES.fast.checkStepMs * 6 + 1);
    for (const id of ids) await call('StartSyncJob', { JobId: id });
    apiClock.advance(PACES.fast.startMs + PACES.fast.runStepMs * 8 + 1);
    return ids;
  }

  function newAccount(): DtsSyncAccount {
    accountClock = new ManualClock(Date.now());
    const client = new DtsSyncClient(
      new TencentApiClient({ provider: 'tencent-dts', endpoint: server.url, service: 'dts', version: '2021-12-06', region: REGION, credentials, actionRequestsPerSecond: 1000, clock: accountClock }),
    );
    account = new DtsSyncAccount({ client, region: REGION, pollIntervals: { activeMs: ACTIVE_MS, steadyMs: STEADY_MS }, requestsPerSecond: 1000, clock: accountClock, random: () => 0.5 });
    return account;
  }

  const resetCalls = () => {
    server.calls.clear();
    describeBatches.length = 0;
  };

  async function roundsReach(target: number): Promise<void> {
    for (let i = 0; i < 2000 && account!.poller.rounds < target; i++) await new Promise((r) => setTimeout(r, 2));
    expect(account!.poller.rounds).toBe(target);
  }

  it('answers 250 concurrent observes with one round of 3 DescribeSyncJobs calls', async () => {
    const ids = await createJobs(250);
    const acct = newAccount();
    resetCalls();
    const observing = Promise.all(ids.map((id, i) => acct.observe({ key: `ns/job-${i}`, jobId: id, jobName: `batch-${i}` })));
    accountClock.advance(20);
    const observations = await observing;
    expect(observations.every((o) => o?.phase === 'Configuring' && o.providerStatus === 'UnInitialized')).toBe(true);
    expect(acct.poller.rounds).toBe(1);
    expect(Object.fromEntries(server.calls)).toEqual({ DescribeSyncJobs: 3 });
    expect([...describeBatches].sort((a, b) => b - a)).toEqual([100, 100, 50]);
  });

  it('costs ceil(N/100) DescribeSyncJobs per steady interval and nothing per job', async () => {
    const ids = await runningJobs(250);
    const acct = newAccount();
    const observing = Promise.all(ids.map((id, i) => acct.observe({ key: `ns/run-${i}`, jobId: id, jobName: `run-${i}` })));
    accountClock.advance(20);
    const observations = await observing;
    expect(observations.every((o) => o?.phase === 'IncrementalSync' && o.progress?.percent === 100)).toBe(true);
    for (let round = 2; round <= 6; round++) {
      resetCalls();
      // Steady (every job replicating): the next round comes after the steady interval (±10%).
      accountClock.advance(ACTIVE_MS);
      await new Promise((r) => setTimeout(r, 20));
      expect(acct.poller.rounds).toBe(round - 1);
      accountClock.advance(STEADY_MS * 1.1 + 1 - ACTIVE_MS);
      await roundsReach(round);
      expect(Object.fromEntries(server.calls)).toEqual({ DescribeSyncJobs: 3 });
      expect([...describeBatches].sort((a, b) => b - a)).toEqual([100, 100, 50]);
    }
  });

  it('reads check results per job only while a check is unsettled', async () => {
    const [checking] = await createJobs(1);
    await configureAndCheck([checking!]);
    const acct = newAccount();
    resetCalls();
    const first = acct.observe({ key: 'ns/check', jobId: checking!, jobName: 'check' });
    accountClock.advance(20);
    expect((await first)?.precheck).toMatchObject({ purpose: 'start', finished: false });
    expect(Object.fromEntries(server.calls)).toEqual({ DescribeSyncJobs: 1, DescribeCheckSyncJobResult: 1 });

    // The check finishes at DTS; the next (active-interval) round reads the settled result once.
    apiClock.advance(PACES.fast.checkStepMs * 6 + 1);
    resetCalls();
    accountClock.advance(ACTIVE_MS * 1.1 + 1);
    await roundsReach(2);
    expect(Object.fromEntries(server.calls)).toEqual({ DescribeSyncJobs: 1, DescribeCheckSyncJobResult: 1 });
    const settled = await acct.observe({ key: 'ns/check', jobId: checking!, jobName: 'check' });
    expect(settled).toMatchObject({ providerStatus: 'CheckPass', precheck: { finished: true, passed: true, passedRate: '100%' } });

    // Settled: no more per-job reads.
    resetCalls();
    accountClock.advance(STEADY_MS * 1.1 + 1);
    await roundsReach(3);
    expect(Object.fromEntries(server.calls)).toEqual({ DescribeSyncJobs: 1 });
  });
});
