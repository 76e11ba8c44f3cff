import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../../controller/src/clock.ts';
import { ReconcileError } from '../../../../controller/src/reconcile/errors.ts';
import type { Observation } from '../../../../controller/src/reconcile/observation.ts';
import type { JobContext } from '../../../../controller/src/reconcile/provider.ts';
import { CdbAccount } from '../../../../controller/src/providers/tencent-cdb/account.ts';
import { CdbClient } from '../../../../controller/src/providers/tencent-cdb/client.ts';
import { cdbAccountFactory } from '../../../../controller/src/providers/tencent-cdb/factory.ts';
import { startCdbSimulator, type CdbSimulator } from '../../../../simulators/tencent-cdb/simulator.ts';
import { eventually } from '../../../support/test-cluster.ts';

/** CdbAccount's actions and observation against the CDB simulator, without Kubernetes. */
const credentials = { secretId: 'AKIDaccountEXAMPLE', secretKey: 'account-secret-key' };
const REGION = 'ap-guangzhou';

let instance = 0;
const job = (name: string, overrides: object = {}): JobContext => {
  const n = String(++instance).padStart(4, '0');
  return {
    key: `ns/${name}`,
    jobName: `rj-${name}`,
    uid: `uid-${name}`,
    spec: ReplicationJobSpec.parse({
      providerRef: { kind: 'ProviderConfig', name: 'cdb' },
      type: 'disasterRecovery',
      engine: 'mysql',
      source: { instanceId: `cdb-a${n}src` },
      target: { instanceId: `cdb-b${n}dst`, region: 'ap-shanghai' },
      objects: { databases: [{ name: 'orders', tables: ['orders', 'order_items'] }] },
      ...overrides,
    }),
    secrets: { get: () => '' },
  };
};

describe('CdbAccount against the CDB simulator', () => {
  let sim: CdbSimulator;
  let account: CdbAccount;

  beforeAll(async () => {
    sim = await startCdbSimulator({ credentials: { id: credentials.secretId, key: credentials.secretKey }, pace: 'fast', actionLimitPerSecond: 0 });
    account = new CdbAccount({
      client: new CdbClient({ endpoint: sim.url, region: REGION, credentials, actionRequestsPerSecond: 1000, sleep: async () => {} }),
      region: REGION,
      pollIntervals: { activeMs: 30, steadyMs: 100 },
      requestsPerSecond: 1000,
      clock: systemClock,
    });
  });
  afterAll(async () => {
    await account?.close();
    await sim?.close();
  });

  const observeUntil = (j: JobContext, test: (o: Observation | undefined) => boolean, what: string) =>
    eventually(async () => {
      const o = await account.observe(j);
      return test(o) ? (o ?? 'gone') : undefined;
    }, what);
  const simTask = (id: string) => sim.tasks.all().find((t) => String(t.jobId) === id);
  const terminalOf = async (p: Promise<unknown>) => {
    const error = await p.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ReconcileError);
    return error as ReconcileError;
  };

  it('creates with the whole configuration, verifies, starts, and reports progress', async () => {
    const j = job('lifecycle');
    j.jobId = (await account.create(j)).jobId;
    expect(simTask(j.jobId)).toMatchObject({
      jobName: 'rj-lifecycle',
      region: REGION,
      src: { dbInfo: [{ database: 'orders', table: ['orders', 'order_items'] }], isOverrideRoot: 0 },
      dst: { region: 'ap-shanghai' },
    });
    await observeUntil(j, (o) => o?.phase === 'Configuring' && o.precheck === undefined, 'configured (1)');
    await account.startPrecheck(j, 'start');
    const verified = (await observeUntil(j, (o) => o?.precheck?.finished === true, 'verification finished')) as Observation;
    expect(verified.precheck).toMatchObject({ passed: true, passedRate: '100%' });
    expect(verified.precheck!.items).toHaveLength(9);
    sim.calls.clear();
    await account.start(j);
    // The reconciler observes before every action: a start repeated after a lost answer sends nothing.
    await account.observe(j);
    await account.start(j);
    expect(sim.calls.get('StartCdbDataSyncTask')).toBe(1);
    const syncing = (await observeUntil(j, (o) => o?.phase === 'FullSync' && (o.progress?.percent ?? 0) > 0, 'full sync with progress')) as Observation;
    expect(syncing.providerStatus).toBe('Syncing(6)');
    await observeUntil(j, (o) => o?.phase === 'IncrementalSync' && o.progress?.percent === 100, 'caught up');
  });

  it('refuses to delete a syncing task with a terminal, actionable error, and deletes it once it finished', async () => {
    const j = job('syncing');
    j.jobId = (await account.create(j)).jobId;
    await observeUntil(j, (o) => o?.providerStatus === 'Configured(1)', 'configured');
    await account.startPrecheck(j, 'start');
    await observeUntil(j, (o) => o?.precheck?.passed === true, 'verified');
    await account.start(j);
    await observeUntil(j, (o) => o?.providerStatus === 'Syncing(6)', 'syncing');
    const refused = await terminalOf(account.delete(j));
    expect(refused.terminal).toBe(true);
    expect(refused.message).toContain('can neither stop nor delete a syncing task');
    expect(refused.message).toContain('spec.deletionPolicy: Orphan');
    expect(simTask(j.jobId)).toBeDefined();

    sim.tasks.setStatus(Number(j.jobId), 9);
    await observeUntil(j, (o) => o?.providerStatus === 'SyncSucceeded(9)' && o.deletable, 'succeeded');
    await account.delete(j);
    await account.delete(j); // idempotent: the task is gone already
    await observeUntil(j, (o) => o === undefined, 'gone');
    expect(simTask(j.jobId)).toBeUndefined();
  });

  it('reports a failed verification item by item, and re-verifies by deleting the failed task', async () => {
    sim.tasks.setCheckOutcome({ failedSteps: [{ stepName: 'Check instance version', message: 'destination runs MySQL 5.6, source 8.0' }] });
    const j = job('failing');
    j.jobId = (await account.create(j)).jobId;
    await observeUntil(j, (o) => o?.providerStatus === 'Configured(1)', 'configured');
    await account.startPrecheck(j, 'start');
    const failed = (await observeUntil(j, (o) => o?.precheck?.finished === true, 'verification finished')) as Observation;
    sim.tasks.setCheckOutcome(undefined);
    expect(failed).toMatchObject({ phase: 'Configuring', deletable: true, precheck: { passed: false } });
    expect(failed.precheck!.items.filter((i) => i.result === 'FAILED')).toEqual([
      { item: 'Check instance version', result: 'FAILED', failedReason: 'destination runs MySQL 5.6, source 8.0' },
    ]);
    expect(simTask(j.jobId)!.status).toBe(3);
    await account.startPrecheck(j, 'start');
    await observeUntil(j, (o) => o === undefined, 'the failed task gone');
  });

  it('finds its task by exact name among similar names', async () => {
    const a = job('named');
    const b = job('named-2');
    const idB = (await account.create(b)).jobId;
    expect(await account.findJobByName(a)).toBeUndefined();
    const idA = (await account.create(a)).jobId;
    expect(await account.findJobByName(a)).toBe(idA);
    expect(await account.findJobByName(b)).toBe(idB);
  });

  it('does not repeat a create whose answer was lost; the task is then found by name', async () => {
    const j = job('lost-answer');
    sim.faults.update({ dropResponseRate: 1, endpoints: ['CreateCdbDataSyncTask'] });
    try {
      const error = await terminalOf(account.create(j));
      expect(error.terminal).toBe(false);
    } finally {
      sim.faults.reset();
    }
    const named = sim.tasks.all().filter((t) => t.jobName === 'rj-lost-answer');
    expect(named).toHaveLength(1);
    expect(await account.findJobByName(j)).toBe(String(named[0]!.jobId));
  });

  it('turns a refused create into a terminal error that names the problem', async () => {
    const j = job('bad-instance', { source: { instanceId: 'mysql-not-cdb' } });
    const error = await terminalOf(account.create(j));
    expect(error).toMatchObject({ terminal: true, reason: 'ProviderRejected' });
    expect(error.message).toContain('9572');
    expect(error.message).toContain('Instance does not exist');
  });
});

describe('cdbAccountFactory', () => {
  const config = (spec: object, creds: Record<string, string> = { secretId: 'id', secretKey: 'key' }) => ({
    key: 'ProviderConfig/ns/cdb',
    provider: 'tencent-cdb' as const,
    spec: { provider: 'tencent-cdb' as const, ...spec },
    credentials: creds,
    hooks: { defaultPollIntervalMs: 30_000 },
  });

  it('needs a region and both keys of the credentials Secret', () => {
    expect(() => cdbAccountFactory(config({}))).toThrow(/spec.region/);
    expect(() => cdbAccountFactory(config({ region: REGION }, { secretId: 'id' }))).toThrow(/secretId and secretKey/);
  });

  it('refuses an unknown signature method', () => {
    expect(() => cdbAccountFactory(config({ region: REGION, providerOptions: { signatureMethod: 'MD5' } }))).toThrow(/signatureMethod/);
  });

  it('builds an account that validates against its region', async () => {
    const account = cdbAccountFactory(config({ region: REGION, endpoint: 'http://127.0.0.1:9', providerOptions: { signatureMethod: 'HmacSHA1' } }));
    try {
      expect(account.providerId).toBe('tencent-cdb');
      expect(account.capabilities).toMatchObject({ pause: false, stop: false, retry: false, configure: false, precheck: true });
      expect(account.validate(job('v', { source: { instanceId: 'cdb-aaaaaaaa', region: 'ap-beijing' } }).spec)).toEqual([expect.stringContaining('differs from the ProviderConfig region ap-guangzhou')]);
    } finally {
      await account.close();
    }
  });
});
