import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FINALIZER } from '../../controller/src/api/group.ts';
import type { Operator } from '../../controller/src/operator.ts';
import { FakeProvider } from '../support/fake-provider.ts';
import { jobSpec, objects, startOperator } from '../support/operator-harness.ts';
import { eventually, onRealCluster, startTestCluster, type TestCluster } from '../support/test-cluster.ts';

/**
 * The real controller loop (informers, queue, reconciler, status writer, finalizers) against
 * the Kubernetes API test server over HTTP, with the in-memory provider double.
 */
describe('operator lifecycle against the API server', () => {
  let cluster: TestCluster;
  let fake: FakeProvider;
  let operator: Operator;
  let api: ReturnType<typeof objects>;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    cluster = await startTestCluster('drs-lifecycle');
    api = objects(cluster.kubeConfig, cluster.namespace);
    fake = new FakeProvider();
    operator = startOperator(cluster.kubeConfig, new Map([['local', fake.factory]]), { namespace: cluster.namespace });
    await operator.start();
    await api.createSecret('db', { password: 'Sup3r-s3cret-pw' });
    await api.createProviderConfig('local', { provider: 'local' });
    // The provider moves on by itself, as a real one does over time.
    ticker = setInterval(() => fake.advance(), 100);
  });

  afterAll(async () => {
    clearInterval(ticker);
    await operator?.stop();
    await cluster?.close();
  });

  afterEach(() => {
    cluster.server?.faults.clearErrors();
  });

  it('apply → finalizer → provider job → status with observedGeneration; spec change observed; delete → provider delete → finalizer removed', async () => {
    await api.createJob('orders', jobSpec({ speedLimits: [{ begin: '01:00', end: '05:59', speedMBps: 10 }] }));

    const running = await eventually(async () => {
      const job = await api.getJob('orders');
      return job.status?.phase === 'IncrementalSync' ? job : undefined;
    }, 'IncrementalSync');
    expect(running.metadata.finalizers).toContain(FINALIZER);
    expect(running.status).toMatchObject({ observedGeneration: 1, state: 'Running', jobId: 'fake-1', progress: { percent: 100 } });
    expect(running.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(fake.ops().slice(0, 4)).toEqual(['create', 'configure', 'precheck:start', 'start']);

    // A spec change bumps generation; the controller observes it and applies it in place.
    await api.replaceJob({ ...running, spec: { ...running.spec, speedLimits: [{ begin: '02:00', end: '05:59', speedMBps: 20 }] } });
    const updated = await eventually(async () => {
      const job = await api.getJob('orders');
      return job.status?.observedGeneration === 2 ? job : undefined;
    }, 'observedGeneration 2');
    expect(updated.metadata.generation).toBe(2);
    expect(fake.ops()).toContain('applySpeedLimits');

    await api.deleteJob('orders');
    await eventually(async () => {
      try {
        await api.getJob('orders');
        return undefined;
      } catch (error) {
        return (error as { code?: number }).code === 404;
      }
    }, 'object gone after finalizer removal');
    expect(fake.ops().slice(-2)).toEqual(['stop', 'delete']);
    expect(fake.jobs.size).toBe(0);
  });

  it('reports each ProviderConfig Ready or what is wrong with it, and follows its Secret', async () => {
    const readyOf = async (name: string) => {
      const pc = (await api.custom.getNamespacedCustomObject({ group: 'replication.drs-operator.io', version: 'v1alpha1', namespace: cluster.namespace, plural: 'providerconfigs', name })) as {
        status?: { conditions?: { type: string; status: string; reason: string }[] };
      };
      return pc.status?.conditions?.find((c) => c.type === 'Ready');
    };
    await eventually(async () => (await readyOf('local'))?.status === 'True', 'local Ready');
    await api.createProviderConfig('cloud', { provider: 'huawei-drs', region: 'ap-southeast-1', projectId: 'p', credentialsSecretRef: { name: 'cloud-aksk' } });
    await eventually(async () => (await readyOf('cloud'))?.reason === 'ProviderUnavailable', 'cloud not in this test build');
    await api.createProviderConfig('signed', { provider: 'local', credentialsSecretRef: { name: 'engine-aksk' } });
    await eventually(async () => (await readyOf('signed'))?.reason === 'CredentialsNotFound', 'missing Secret reported');
    await api.createSecret('engine-aksk', { accessKey: 'ak', secretKey: 'sk-value' });
    await eventually(async () => (await readyOf('signed'))?.status === 'True', 'Ready once the Secret exists');
  });

  it('keeps the spec byte-identical: the controller never writes spec', async () => {
    const created = (await api.createJob('untouched', jobSpec())) as { spec: unknown };
    await eventually(async () => ((await api.getJob('untouched')).status?.phase === 'IncrementalSync' ? true : undefined), 'IncrementalSync');
    expect(JSON.stringify((await api.getJob('untouched')).spec)).toBe(JSON.stringify(created.spec));
  });

  it.skipIf(onRealCluster)('recovers from dropped watches and 410 Gone', async () => {
    const server = cluster.server!;
    server.faults.dropWatches();
    await api.createJob('after-drop', jobSpec());
    await eventually(async () => ((await api.getJob('after-drop')).status?.jobId ? true : undefined), 'reconciled after a dropped watch');

    server.faults.compactHistory();
    server.faults.dropWatches();
    await api.createJob('after-gone', jobSpec());
    await eventually(async () => ((await api.getJob('after-gone')).status?.jobId ? true : undefined), 'reconciled after 410 Gone');
  });

  it.skipIf(onRealCluster)('retries a 409 on the status write by re-reading', async () => {
    const server = cluster.server!;
    server.faults.injectError({ method: 'PATCH', pathPattern: /\/replicationjobs\/conflicted\/status$/, status: 409, count: 2 });
    await api.createJob('conflicted', jobSpec());
    const job = await eventually(async () => {
      const j = await api.getJob('conflicted');
      return j.status?.phase === 'IncrementalSync' ? j : undefined;
    }, 'status written despite conflicts');
    expect(job.status!.conditions!.find((c) => c.type === 'Synced')!.status).toBe('True');
  });

  it('reports an invalid spec that slipped past admission as a terminal condition, without retrying', async () => {
    await api.createJob('unsupported', jobSpec({ engine: 'db2' }));
    const job = await eventually(async () => {
      const j = await api.getJob('unsupported');
      return j.status?.conditions?.some((c) => c.type === 'Terminal') ? j : undefined;
    }, 'Terminal condition');
    expect(job.status!.conditions!.find((c) => c.type === 'Terminal')).toMatchObject({ status: 'True', reason: 'UnsupportedSpec' });
    const calls = fake.calls.filter((c) => c.jobName.includes(job.metadata.uid!)).length;
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.calls.filter((c) => c.jobName.includes(job.metadata.uid!)).length).toBe(calls);
  });

  it('re-queues the jobs using a Secret when it changes (password rotation)', async () => {
    await api.createJob('rotating', jobSpec());
    await eventually(async () => ((await api.getJob('rotating')).status?.phase === 'IncrementalSync' ? true : undefined), 'IncrementalSync');
    await api.replaceSecret('db', { password: 'R0tated-s3cret-pw' });
    await eventually(() => (fake.ops().includes('rotatePassword:source') ? true : undefined), 'password pushed after Secret change');
    const everything = JSON.stringify(await api.getJob('rotating'));
    expect(everything).not.toContain('R0tated-s3cret-pw');
  });
});
