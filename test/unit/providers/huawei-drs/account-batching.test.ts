import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../../controller/src/clock.ts';
import { DrsAccount } from '../../../../controller/src/providers/huawei-drs/account.ts';
import { DrsClient } from '../../../../controller/src/providers/huawei-drs/client.ts';
import { HUAWEI_DRS_PROFILE } from '../../../../controller/src/providers/huawei-drs/profile.ts';
import type { JobContext } from '../../../../controller/src/reconcile/provider.ts';
import { startEngine, type Engine } from '../../../../engine/src/engine.ts';
import { FAST_SIMULATED_DELAYS } from '../../../../engine/src/executors/simulated.ts';

/**
 * The point of this provider: cost in API calls. Concurrent reconciles' actions share one
 * batch call per endpoint; observation of N jobs costs ceil(N/100) calls per query endpoint.
 */
const credentials = { accessKey: 'AK-BATCHING', secretKey: 'sk-batching-secret' };

const spec = ReplicationJobSpec.parse({
  providerRef: { kind: 'ProviderConfig', name: 'drs' },
  type: 'sync',
  engine: 'mysql',
  direction: 'up',
  nodeType: 'high',
  network: { type: 'eip', subnetId: 'subnet-1' },
  source: { host: '203.0.113.10', port: 3306, user: 'repl' },
  target: { host: '203.0.113.20', port: 3306, user: 'root' },
});

describe('DrsAccount batching against the DRS simulator', () => {
  let engine: Engine;
  let account: DrsAccount;

  beforeAll(async () => {
    engine = await startEngine({ dataDir: await mkdtemp(join(tmpdir(), 'drs-batch-')), credentials, delays: FAST_SIMULATED_DELAYS });
    const client = new DrsClient({ endpoint: engine.url, projectId: 'p1', auth: { kind: 'aksk', ...credentials }, requestsPerSecond: 1000 });
    account = new DrsAccount({ client, profile: HUAWEI_DRS_PROFILE, pollIntervals: { activeMs: 60_000, steadyMs: 60_000 }, requestsPerSecond: 1000, clock: systemClock });
  });
  afterAll(async () => {
    await account?.close();
    await engine?.close();
  });

  const N = 250;
  const jobs: JobContext[] = Array.from({ length: N }, (_, i) => ({
    key: `ns/job-${i}`,
    jobName: `rj-batching-${String(i).padStart(4, '0')}`,
    uid: `uid-${i}`,
    spec,
    secrets: { get: () => '', sourcePassword: 'pw-source-1', targetPassword: 'pw-target-1' },
  }));

  it('creates 250 jobs requested concurrently with ceil(250/100) batch-creation calls', async () => {
    engine.resetStats();
    const created = await Promise.all(jobs.map((j) => account.create(j)));
    created.forEach((c, i) => (jobs[i]!.jobId = c.jobId));
    expect(new Set(created.map((c) => c.jobId)).size).toBe(N);
    expect(engine.stats().endpoints['batch-creation']).toMatchObject({ requests: 3, items: N });
  });

  it('observes every job with ceil(N/100) batch-status calls per round, not one call per job', async () => {
    engine.resetStats();
    const observations = await Promise.all(jobs.map((j) => account.observe(j)));
    expect(observations.every((o) => o !== undefined)).toBe(true);
    const statusCalls = engine.stats().endpoints['batch-status']!.requests;
    // One round (maybe two, if a round was already in flight) for 250 concurrent reconciles.
    expect(statusCalls === 3 || statusCalls === 6).toBe(true);
  });

  it('coalesces in-place changes from concurrent reconciles into one batch call per 100 jobs', async () => {
    await new Promise((r) => setTimeout(r, 200)); // CREATING → CONFIGURATION
    engine.resetStats();
    await Promise.all(jobs.map((j) => account.applySettings({ ...j, spec: { ...spec, description: 'batched' } })));
    expect(engine.stats().endpoints['batch-modification']).toMatchObject({ requests: 3, items: N });
    expect(engine.runtime.get(jobs[0]!.jobId!)!.description).toBe('batched');
  });

  it('returns per-item results: one bad item fails alone', async () => {
    const results = await Promise.allSettled([
      account.applySpeedLimits({ ...jobs[0]!, spec: { ...spec, speedLimits: [{ begin: '01:00', end: '01:59', speedMBps: 5 }] } }),
      account.applySpeedLimits({ ...jobs[1]!, jobId: 'no-such-job' }),
    ]);
    expect(results[0]!.status).toBe('fulfilled');
    expect(results[1]!.status).toBe('rejected');
    expect(String((results[1] as PromiseRejectedResult).reason.message)).toContain('DRS.M00289');
  });
});
