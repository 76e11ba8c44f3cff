import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_GROUP, API_VERSION } from '../../../controller/src/api/group.ts';
import type { ReplicationJob } from '../../../controller/src/api/resources.ts';
import { EventRecorder } from '../../../controller/src/runtime/event-recorder.ts';
import { addFinalizer, removeFinalizer } from '../../../controller/src/runtime/finalizers.ts';
import { Informer } from '../../../controller/src/runtime/informer.ts';
import { mergePatchBetween } from '../../../controller/src/runtime/merge-patch.ts';
import { ResourceClient } from '../../../controller/src/runtime/resource-client.ts';
import { StatusWriter } from '../../../controller/src/runtime/status-writer.ts';
import { startKubeApiServer, type KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { eventually, CRD_DIR } from '../../support/test-cluster.ts';
import { jobSpec } from '../../support/operator-harness.ts';

const ref = { group: API_GROUP, version: API_VERSION, plural: 'replicationjobs' };

describe('runtime against the Kubernetes API test server', () => {
  let server: KubeApiServer;
  let client: ResourceClient<ReplicationJob>;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    server = await startKubeApiServer({ crdDir: CRD_DIR });
    client = new ResourceClient<ReplicationJob>(server.kubeConfig(), ref);
    custom = server.kubeConfig().makeApiClient(CustomObjectsApi);
  });
  afterAll(() => server?.close());

  const create = async (name: string) =>
    (await custom.createNamespacedCustomObject({
      ...ref,
      namespace: 'default',
      body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'ReplicationJob', metadata: { name }, spec: jobSpec() },
    })) as ReplicationJob;

  describe('StatusWriter', () => {
    it('patches only what changed through /status, nulls removed fields, and sets observedGeneration', async () => {
      const job = await create('status-diff');
      const writer = new StatusWriter(client);
      const first = await writer.write(job, { phase: 'Creating', jobId: 'j-1', retries: 2 });
      expect(first.status).toEqual({ phase: 'Creating', jobId: 'j-1', retries: 2, observedGeneration: 1 });
      server.faults.resetCounts();
      const second = await writer.write(first, { phase: 'Configuring', jobId: 'j-1' });
      expect(second.status).toEqual({ phase: 'Configuring', jobId: 'j-1', observedGeneration: 1 });
      expect(server.faults.count({ verb: 'patch', resource: 'replicationjobs/status' })).toBe(1);
      // Nothing changed: no request at all.
      await writer.write(second, { phase: 'Configuring', jobId: 'j-1' });
      expect(server.faults.count({ verb: 'patch', resource: 'replicationjobs/status' })).toBe(1);
    });

    it('re-reads and retries on 409 instead of failing or overwriting blindly', async () => {
      const job = await create('status-conflict');
      // Someone else changes the object after we read it: our resourceVersion is stale.
      await client.mergePatch({ namespace: 'default', name: 'status-conflict' }, { metadata: { labels: { touched: 'yes' } } });
      server.faults.resetCounts();
      const written = await new StatusWriter(client).write(job, { phase: 'Pending' });
      expect(written.status?.phase).toBe('Pending');
      expect(written.metadata.labels).toEqual({ touched: 'yes' });
      expect(server.faults.count({ verb: 'get', resource: 'replicationjobs' })).toBe(1);
    });

    it('gives up after a bounded number of conflicts and surfaces the 409', async () => {
      const job = await create('status-always-conflict');
      server.faults.injectError({ method: 'PATCH', pathPattern: /status-always-conflict\/status$/, status: 409, count: 10 });
      await expect(new StatusWriter(client, { maxAttempts: 3 }).write(job, { phase: 'Pending' })).rejects.toMatchObject({ code: 409 });
      server.faults.clearErrors();
    });
  });

  describe('finalizers', () => {
    it('adds and removes only our entry, keeping other controllers\' finalizers', async () => {
      const job = await create('finalizers');
      const withOther = await client.mergePatch({ namespace: 'default', name: 'finalizers' }, { metadata: { finalizers: ['other.io/keep'], resourceVersion: job.metadata.resourceVersion } });
      const added = await addFinalizer(client, withOther, 'ours.io/f');
      expect(added.metadata.finalizers).toEqual(['other.io/keep', 'ours.io/f']);
      const removed = await removeFinalizer(client, added, 'ours.io/f');
      expect(removed.metadata.finalizers).toEqual(['other.io/keep']);
    });

    it('refuses to act on a stale object (resourceVersion precondition)', async () => {
      const job = await create('finalizer-stale');
      await client.mergePatch({ namespace: 'default', name: 'finalizer-stale' }, { metadata: { finalizers: ['other.io/new'] } });
      // Writing our list from the stale read would drop other.io/new: the API server refuses.
      await expect(addFinalizer(client, job, 'ours.io/f')).rejects.toMatchObject({ code: 409 });
      expect((await client.get({ namespace: 'default', name: 'finalizer-stale' })).metadata.finalizers).toEqual(['other.io/new']);
    });
  });

  describe('mergePatchBetween', () => {
    it.each([
      [{ a: 1, b: { c: 1 } }, { a: 1, b: { c: 2 } }, { b: { c: 2 } }],
      [{ a: 1, b: 2 }, { a: 1 }, { b: null }],
      [{ l: [1, 2] }, { l: [1] }, { l: [1] }],
      [{ a: 1 }, { a: 1 }, undefined],
    ])('%j → %j', (from, to, patch) => expect(mergePatchBetween(from, to)).toEqual(patch));
  });

  describe('Informer', () => {
    const informer = (extra: Partial<ConstructorParameters<typeof Informer<ReplicationJob>>[0]> = {}) =>
      new Informer<ReplicationJob>({
        resource: 'replicationjobs',
        kubeConfig: server.kubeConfig(),
        path: `/apis/${API_GROUP}/${API_VERSION}/namespaces/informer/replicationjobs`,
        list: () => client.list('informer'),
        backoff: { baseMs: 10, maxMs: 50 },
        ...extra,
      });

    beforeAll(async () => {
      await server.kubeConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'informer' } } });
    });

    const createIn = (name: string) =>
      custom.createNamespacedCustomObject({
        ...ref,
        namespace: 'informer',
        body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'ReplicationJob', metadata: { name }, spec: jobSpec() },
      });

    it('fills the cache, follows changes, and survives reset watches and 410 Gone by relisting', async () => {
      const inf = informer();
      const seen: string[] = [];
      inf.on({ add: (o) => seen.push(`add:${o.metadata.name}`), delete: (o) => seen.push(`delete:${o.metadata.name}`) });
      await createIn('before-start');
      await inf.start();
      expect(inf.get('before-start', 'informer')).toBeDefined();

      server.faults.dropWatches('reset');
      await createIn('after-reset');
      await eventually(() => inf.get('after-reset', 'informer'), 'event after a reset watch');

      // Put the informer behind: hold its reconnect, create an object it has not seen, and forget
      // the history behind its resourceVersion, so its next watch gets 410 Gone.
      // Every request waits 300 ms: the create (sent at t=0) lands at ~300 ms, the re-watch
      // (sent at ~100 ms, after the drop) is handled at ~400 ms, after the compaction.
      const lists = server.faults.count({ verb: 'list', resource: 'replicationjobs' });
      const watchesGone = server.faults.count({ verb: 'watch', resource: 'replicationjobs' });
      server.faults.setLatency(300);
      const created = createIn('after-gone');
      await new Promise((resolve) => setTimeout(resolve, 100));
      server.faults.dropWatches('close');
      await created;
      server.faults.compactHistory();
      server.faults.setLatency(0);
      await eventually(() => inf.get('after-gone', 'informer'), 'event after 410 Gone');
      expect(server.faults.count({ verb: 'watch', resource: 'replicationjobs' })).toBeGreaterThan(watchesGone);
      expect(server.faults.count({ verb: 'list', resource: 'replicationjobs' })).toBeGreaterThan(lists);

      await custom.deleteNamespacedCustomObject({ ...ref, namespace: 'informer', name: 'before-start' });
      await eventually(() => (inf.get('before-start', 'informer') ? undefined : true), 'delete observed');
      expect(seen).toEqual(expect.arrayContaining(['add:before-start', 'add:after-reset', 'add:after-gone', 'delete:before-start']));
      await inf.stop();
    });

    it('keeps running when a handler throws', async () => {
      const inf = informer();
      inf.on({
        add: () => {
          throw new Error('handler bug');
        },
      });
      const adds: string[] = [];
      inf.on({ add: (o) => adds.push(o.metadata.name!) });
      await inf.start();
      await createIn('handler-throws');
      await eventually(() => adds.includes('handler-throws'), 'second handler still called');
      await inf.stop();
    });

    it('restarts a watch that went silent for longer than the watchdog window', async () => {
      let now = Date.now();
      const inf = informer({ watchdogMs: 1000, checkIntervalMs: 50, now: () => now });
      await inf.start();
      const restarts = inf.health().restarts;
      now += 5000; // no event, no bookmark for 5 s
      await eventually(() => inf.health().restarts > restarts, 'watchdog restart', 5000);
      await inf.stop();
    });

    it('relists after the resync period and replays every cached object to handlers', async () => {
      await createIn('replayed');
      let now = Date.now();
      const inf = informer({ watchdogMs: 3_600_000, resyncPeriodMs: 60_000, checkIntervalMs: 50, now: () => now });
      const resynced: string[] = [];
      inf.on({ resync: (o) => resynced.push(o.metadata.name!) });
      await inf.start();
      const lists = server.faults.count({ verb: 'list', resource: 'replicationjobs' });
      now += 120_000; // past the resync period, while the watch is healthy
      await eventually(() => resynced.includes('replayed'), 'periodic relist replays cached objects', 5000);
      expect(server.faults.count({ verb: 'list', resource: 'replicationjobs' })).toBeGreaterThan(lists);
      await inf.stop();
    });
  });

  describe('EventRecorder', () => {
    it('creates an Event, then aggregates repeats into its count', async () => {
      const job = await create('events');
      const recorder = new EventRecorder(server.kubeConfig(), { component: 'drs-operator', host: 'test' });
      recorder.record(job, 'Warning', 'ProviderBusy', 'DRS is busy');
      await recorder.flush();
      recorder.record(job, 'Warning', 'ProviderBusy', 'DRS is busy');
      await recorder.flush();
      const events = await server.kubeConfig().makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=events' });
      expect(events.items).toHaveLength(1);
      expect(events.items[0]).toMatchObject({ reason: 'ProviderBusy', type: 'Warning', count: 2, involvedObject: { kind: 'ReplicationJob', name: 'events' } });
    });
  });
});
