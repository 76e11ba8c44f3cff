import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProvider } from '../support/fake-provider.ts';
import { jobSpec, objects, startOperator } from '../support/operator-harness.ts';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.ts';

describe('leader election with two controller instances', () => {
  let cluster: TestCluster;
  const fakes = [new FakeProvider(), new FakeProvider()];
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    cluster = await startTestCluster('drs-leader');
    ticker = setInterval(() => fakes.forEach((f) => f.advance()), 100);
  });

  afterAll(async () => {
    clearInterval(ticker);
    await cluster?.close();
  });

  it('lets only one instance act, and the other take over after the first stops', async () => {
    const api = objects(cluster.kubeConfig, cluster.namespace);
    await api.createSecret('db', { password: 'leader-test-pw' });
    await api.createProviderConfig('local', { provider: 'local' });
    const election = { leaderElect: true, leaderElectionNamespace: cluster.namespace, namespace: cluster.namespace };
    const first = startOperator(cluster.kubeConfig, new Map([['local', fakes[0]!.factory]]), { ...election, identity: 'first' });
    const second = startOperator(cluster.kubeConfig, new Map([['local', fakes[1]!.factory]]), { ...election, identity: 'second' });
    await first.start();
    await eventually(() => first.isLeader, 'first becomes leader');
    await second.start();

    await api.createJob('one', jobSpec());
    await eventually(async () => ((await api.getJob('one')).status?.phase === 'IncrementalSync' ? true : undefined), 'job one reconciled');
    expect(second.isLeader).toBe(false);
    expect(fakes[0]!.ops().length).toBeGreaterThan(0);
    expect(fakes[1]!.ops()).toEqual([]);

    const lease = await cluster.kubeConfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'drs-operator-test', namespace: cluster.namespace });
    expect(lease.spec?.holderIdentity).toBe('first');

    // A graceful stop releases the lease; the standby takes over without waiting for expiry.
    await first.stop();
    await eventually(() => second.isLeader, 'second takes over', 10_000);
    await api.createJob('two', jobSpec());
    await eventually(async () => ((await api.getJob('two')).status?.phase === 'IncrementalSync' ? true : undefined), 'job two reconciled by the new leader');
    expect(fakes[1]!.ops()).toContain('create');
    await second.stop();
  });
});
