import { describe, expect, it } from 'vitest';
import { ANNOTATIONS, FINALIZER } from '../../../controller/src/api/group.ts';
import type { ReplicationJob } from '../../../controller/src/api/resources.ts';
import { ProviderAccounts } from '../../../controller/src/reconcile/provider-accounts.ts';
import { Reconciler } from '../../../controller/src/reconcile/reconciler.ts';
import { FakeProvider } from '../../support/fake-provider.ts';
import { MemoryCluster } from '../../support/memory-cluster.ts';

const KEY = 'orders/orders-to-dr';
const PASSWORD = 's3cr3t-Passw0rd!';

function setup() {
  const cluster = new MemoryCluster();
  const fake = new FakeProvider();
  const woken: string[] = [];
  const accounts = new ProviderAccounts(cluster, new Map([['local', fake.factory]]), (_account, jobId) => woken.push(jobId));
  let now = Date.parse('2027-01-15T08:00:00Z');
  const clock = { now: () => now, tick: (ms: number) => (now += ms) };
  const log = { debug() {}, info() {}, warn() {} };
  const reconciler = new Reconciler({ view: cluster, writer: cluster, accounts, log, now: clock.now });
  cluster.providerConfigs.set('orders/local', {
    apiVersion: 'replication.drs-operator.io/v1alpha1',
    kind: 'ProviderConfig',
    metadata: { name: 'local', namespace: 'orders', generation: 1 },
    spec: { provider: 'local' },
  });
  cluster.putSecret('orders', 'db', { password: PASSWORD });
  cluster.putJob(job());
  return { cluster, fake, reconciler, clock, woken };
}

function job(spec: Partial<ReplicationJob['spec']> = {}): ReplicationJob {
  return {
    apiVersion: 'replication.drs-operator.io/v1alpha1',
    kind: 'ReplicationJob',
    metadata: { name: 'orders-to-dr', namespace: 'orders' },
    spec: {
      providerRef: { kind: 'ProviderConfig', name: 'local' },
      type: 'sync',
      engine: 'postgresql',
      source: { host: 'src', port: 5432, user: 'repl', passwordSecretRef: { name: 'db', key: 'password' } },
      target: { host: 'dst', port: 5432, user: 'repl', passwordSecretRef: { name: 'db', key: 'password' } },
      ...spec,
    },
  };
}

async function runUntilSettled(r: Reconciler, fake: FakeProvider, clock: { tick(ms: number): void }, rounds = 12) {
  for (let i = 0; i < rounds; i++) {
    await r.reconcile(KEY);
    fake.advance();
    clock.tick(1000);
  }
}

describe('Reconciler', () => {
  it('drives a job from apply to IncrementalSync with progress, delay and Ready in status', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    const stored = cluster.getJob(KEY)!;
    expect(stored.metadata.finalizers).toEqual([FINALIZER]);
    expect(stored.status).toMatchObject({
      phase: 'IncrementalSync',
      state: 'Running',
      jobId: 'fake-1',
      jobName: 'rj-uid-orders-to-dr',
      observedGeneration: 1,
      progress: { percent: 100, percentText: '100%', delayText: '1s' },
      precheck: { passed: true, passedRate: '100%' },
    });
    expect(stored.status!.conditions!.map((c) => [c.type, c.status])).toEqual([
      ['Ready', 'True'],
      ['Synced', 'True'],
      ['PrecheckPassed', 'True'],
    ]);
    expect(fake.ops()).toEqual(['create', 'configure', 'precheck:start', 'start']);
    // One event per thing that happened: an action's event stands for the phase change it caused;
    // PhaseChanged is for what the provider did on its own.
    expect(cluster.events.map((e) => `${e.reason}${e.reason === 'PhaseChanged' ? `: ${e.message}` : ''}`)).toEqual([
      'PhaseChanged: None → Pending',
      'CreatedProviderJob',
      'Configured',
      'PrecheckStarted',
      'Started',
      'PhaseChanged: Starting → FullSync',
      'PhaseChanged: FullSync → IncrementalSync',
    ]);
  });

  it('writes the finalizer before the first provider call', async () => {
    const { cluster, fake, reconciler } = setup();
    await reconciler.reconcile(KEY);
    expect(fake.ops()).toEqual([]);
    expect(cluster.getJob(KEY)!.metadata.finalizers).toEqual([FINALIZER]);
  });

  it('after a crash between create and recording the ID, finds the job by name instead of creating a second one', async () => {
    const { cluster, fake, reconciler } = setup();
    await reconciler.reconcile(KEY); // finalizer
    // Simulate the crash: the create reached the provider, the ID never reached status.
    const before = cluster.getJob(KEY)!;
    await fake.account().create({ key: KEY, jobName: 'rj-uid-orders-to-dr', uid: 'uid-orders-to-dr', spec: before.spec, secrets: { get: () => '' } });
    await cluster.setAnnotations(before, { [ANNOTATIONS.createPending]: '2027-01-15T07:59:00Z' });
    await reconciler.reconcile(KEY);
    expect(fake.jobs.size).toBe(1);
    expect(fake.ops()).toEqual(['create', 'findJobByName']);
    expect(cluster.getJob(KEY)!.status!.jobId).toBe('fake-1');
  });

  it('retries a busy provider with backoff and never marks it terminal', async () => {
    const { cluster, fake, reconciler } = setup();
    await reconciler.reconcile(KEY);
    fake.transientFailures.set('create', 1);
    const outcome = await reconciler.reconcile(KEY);
    expect(outcome).toMatchObject({ error: expect.any(Error) });
    expect('terminal' in outcome && outcome.terminal).toBeFalsy();
    const status = cluster.getJob(KEY)!.status!;
    expect(status.conditions!.find((c) => c.type === 'Synced')).toMatchObject({ status: 'False', reason: 'ProviderBusy' });
    expect(status.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
    // The create may have happened (unknown outcome), so the next pass looks it up first.
    await reconciler.reconcile(KEY);
    expect(fake.ops()).toEqual(['create', 'findJobByName', 'create']);
    expect(fake.jobs.size).toBe(1);
  });

  it('after a create the provider definitely refused (quota), retries it later without a lookup by name', async () => {
    const { cluster, fake, reconciler } = setup();
    await reconciler.reconcile(KEY);
    fake.quotaRefusals = 1;
    const outcome = await reconciler.reconcile(KEY);
    // The provider's wait is honoured, and no Terminal condition: the quota frees up.
    expect(outcome).toMatchObject({ requeueAfterMs: 1000 });
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
    await reconciler.reconcile(KEY);
    expect(fake.ops()).toEqual(['create', 'create']);
    expect(fake.jobs.size).toBe(1);
  });

  it('waits while the account holds creates: no provider call, no annotation written, one Warning event', async () => {
    const { cluster, fake, reconciler } = setup();
    await reconciler.reconcile(KEY);
    const writesBefore = cluster.annotationWrites;
    fake.createHolds = 3;
    for (let i = 0; i < 3; i++) expect(await reconciler.reconcile(KEY)).toMatchObject({ requeueAfterMs: 5000 });
    expect(fake.ops()).toEqual([]);
    const held = cluster.getJob(KEY)!;
    expect(cluster.annotationWrites).toBe(writesBefore);
    expect(held.metadata.annotations?.[ANNOTATIONS.createPending]).toBeUndefined();
    expect(held.status!.conditions!.find((c) => c.type === 'Synced')).toMatchObject({ status: 'False', reason: 'ProviderQuotaExceeded' });
    expect(held.status!.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
    // Said once when the wait began; the condition carries it from then on.
    expect(cluster.events.filter((e) => e.reason === 'ProviderQuotaExceeded')).toHaveLength(1);
    await reconciler.reconcile(KEY);
    expect(fake.ops()).toEqual(['create']);
  });

  it('reports an unsupported engine as Terminal and calls nothing', async () => {
    const { cluster, fake, reconciler } = setup();
    cluster.putJob(job({ engine: 'db2' }));
    const outcome = await reconciler.reconcile(KEY);
    expect(outcome).toMatchObject({ terminal: true });
    expect(fake.ops()).toEqual([]);
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Terminal')).toMatchObject({ reason: 'UnsupportedSpec' });
  });

  it('reports a missing ProviderConfig as retryable with what to do', async () => {
    const { cluster, reconciler } = setup();
    cluster.providerConfigs.clear();
    const outcome = await reconciler.reconcile(KEY);
    expect('terminal' in outcome && outcome.terminal).toBeFalsy();
    expect(cluster.getJob(KEY)!.status!.message).toBe('ProviderConfig orders/local does not exist: create it, or fix spec.providerRef');
  });

  it('never lets a secret value reach status, events or error text', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    fake.unsupportedEngines.clear();
    await runUntilSettled(reconciler, fake, clock, 2);
    // A provider that echoes the password back in an error message.
    const honest = fake.factory;
    fake.factory = (cfg) => ({ ...honest(cfg), configure: async () => Promise.reject(new Error(`login failed for repl with password ${PASSWORD}`)) });
    const accounts = new ProviderAccounts(cluster, new Map([['local', fake.factory]]), () => {});
    const r = new Reconciler({ view: cluster, writer: cluster, accounts, log: { debug() {}, info() {}, warn() {} }, now: clock.now });
    fake.advance();
    await r.reconcile(KEY);
    const everything = JSON.stringify({ status: cluster.getJob(KEY)!.status, events: cluster.events, writes: cluster.statusWrites });
    expect(everything).toContain('login failed for repl with password ***');
    expect(everything).not.toContain(PASSWORD);
  });

  it('pushes a rotated password to a running job once', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    cluster.putSecret('orders', 'db', { password: 'n3w-Passw0rd' });
    await reconciler.reconcile(KEY);
    await reconciler.reconcile(KEY);
    expect(fake.ops().filter((o) => o.startsWith('rotatePassword'))).toEqual(['rotatePassword:source', 'rotatePassword:target']);
    expect(fake.jobs.get('fake-1')!.passwords).toEqual({ source: 'n3w-Passw0rd', target: 'n3w-Passw0rd' });
  });

  it('pauses and resumes as spec.state says', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    cluster.putJob({ ...cluster.getJob(KEY)!, spec: { ...cluster.getJob(KEY)!.spec, state: 'Paused' } });
    await runUntilSettled(reconciler, fake, clock, 2);
    expect(cluster.getJob(KEY)!.status).toMatchObject({ phase: 'Paused', state: 'Paused' });
    cluster.putJob({ ...cluster.getJob(KEY)!, spec: { ...cluster.getJob(KEY)!.spec, state: 'Running' } });
    await runUntilSettled(reconciler, fake, clock, 2);
    expect(cluster.getJob(KEY)!.status!.phase).toBe('IncrementalSync');
    expect(fake.ops().slice(-2)).toEqual(['pause', 'resume']);
  });

  it('on delete: stops, waits, deletes, and only then removes the finalizer', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    cluster.markDeleted(KEY);
    await runUntilSettled(reconciler, fake, clock, 5);
    expect(fake.ops().slice(-2)).toEqual(['stop', 'delete']);
    expect(fake.jobs.size).toBe(0);
    expect(cluster.getJob(KEY)).toBeUndefined();
  });

  it('deletes a job whose spec the provider now refuses (a refused change must not block deletion)', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    // E.g. state: Paused on an API without pause: Terminal while it lives, irrelevant to deletion.
    fake.unsupportedEngines.add('postgresql');
    expect(await reconciler.reconcile(KEY)).toMatchObject({ terminal: true });
    cluster.markDeleted(KEY);
    await runUntilSettled(reconciler, fake, clock, 5);
    expect(fake.ops().slice(-2)).toEqual(['stop', 'delete']);
    expect(cluster.getJob(KEY)).toBeUndefined();
  });

  it('deletes a job whose password Secret was deleted with it (kubectl delete -f, Argo CD prune)', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    cluster.secrets.delete('orders/db');
    cluster.markDeleted(KEY);
    await runUntilSettled(reconciler, fake, clock, 5);
    expect(fake.ops().slice(-2)).toEqual(['stop', 'delete']);
    expect(cluster.getJob(KEY)).toBeUndefined();
  });

  it('leaves the provider job alone with deletionPolicy Orphan', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    cluster.putJob(job({ deletionPolicy: 'Orphan' }));
    await runUntilSettled(reconciler, fake, clock);
    cluster.markDeleted(KEY);
    await reconciler.reconcile(KEY);
    expect(cluster.getJob(KEY)).toBeUndefined();
    expect(fake.jobs.size).toBe(1);
  });

  it('does nothing while the paused annotation is set', async () => {
    const { cluster, fake, reconciler } = setup();
    cluster.putJob({ ...job(), metadata: { ...job().metadata, annotations: { [ANNOTATIONS.paused]: 'true' } } });
    await reconciler.reconcile(KEY);
    expect(fake.ops()).toEqual([]);
    expect(cluster.getJob(KEY)!.metadata.finalizers).toBeUndefined();
  });

  it('retries again after exhausted retries when the reconcile-request annotation changes', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    cluster.putJob(job({ retryPolicy: { maxRetries: 1, backoff: '1s' } }));
    await runUntilSettled(reconciler, fake, clock);
    // The job keeps failing: the one allowed attempt (re-check, retry) does not help.
    fake.fail('fake-1');
    await runUntilSettled(reconciler, fake, clock, 2);
    expect(fake.ops().slice(-2)).toEqual(['precheck:retry', 'retry']);
    fake.fail('fake-1');
    await runUntilSettled(reconciler, fake, clock, 4);
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Ready')!.reason).toBe('RetriesExhausted');
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Terminal')).toMatchObject({ status: 'True', reason: 'RetriesExhausted' });
    const retriesBefore = fake.ops().filter((o) => o === 'precheck:retry').length;
    const stored = cluster.getJob(KEY)!;
    cluster.putJob({ ...stored, metadata: { ...stored.metadata, annotations: { 'replication.drs-operator.io/reconcile-request': 'fixed-1' } } });
    await reconciler.reconcile(KEY);
    expect(fake.ops().filter((o) => o === 'precheck:retry').length).toBe(retriesBefore + 1);
    expect(cluster.getJob(KEY)!.status).toMatchObject({ handledReconcileRequest: 'fixed-1', retries: 1 });
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
  });

  it('does not write status for delay jitter, but does for a material delay change', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    const writes = cluster.statusWrites.length;
    fake.jobs.get('fake-1')!.delaySeconds = 3; // 1 s → 3 s: jitter
    await reconciler.reconcile(KEY);
    expect(cluster.statusWrites.length).toBe(writes);
    fake.jobs.get('fake-1')!.delaySeconds = 90; // the target fell behind
    await reconciler.reconcile(KEY);
    expect(cluster.statusWrites.length).toBe(writes + 1);
    expect(cluster.getJob(KEY)!.status!.progress).toMatchObject({ incrementalDelaySeconds: 90, delayText: '1m30s' });
  });

  it('refuses a change of objects on a running job with a Terminal condition, and clears it when reverted', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    const original = cluster.getJob(KEY)!;
    cluster.putJob({ ...original, metadata: { ...original.metadata, generation: 2 }, spec: { ...original.spec, objects: { databases: [{ name: 'other' }] } } });
    const outcome = await reconciler.reconcile(KEY);
    expect(outcome).toMatchObject({ terminal: true });
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Terminal')).toMatchObject({ reason: 'ObjectsChangeUnsupported' });
    cluster.putJob({ ...cluster.getJob(KEY)!, metadata: { ...original.metadata, generation: 3 }, spec: original.spec });
    await reconciler.reconcile(KEY);
    expect(cluster.getJob(KEY)!.status!.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
    expect(cluster.getJob(KEY)!.status!.phase).toBe('IncrementalSync');
  });

  it('writes no status when only key order differs (the API server sorts keys)', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)])) : v;
    const stored = cluster.jobs.get(KEY)!;
    stored.status = sortKeys(stored.status) as typeof stored.status;
    const writes = cluster.statusWrites.length;
    clock.tick(1000);
    await reconciler.reconcile(KEY);
    expect(cluster.statusWrites.length).toBe(writes);
  });

  it('writes no status when nothing but the observation time changed', async () => {
    const { cluster, fake, reconciler, clock } = setup();
    await runUntilSettled(reconciler, fake, clock);
    const writes = cluster.statusWrites.length;
    await reconciler.reconcile(KEY);
    await reconciler.reconcile(KEY);
    expect(cluster.statusWrites.length).toBe(writes);
  });
});
