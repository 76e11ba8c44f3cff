// Built-in resources through client-node's typed APIs: Secrets (stringData),
// ConfigMaps, Leases (optimistic concurrency for leader election), Events in
// both APIs (one storage), Namespaces.
import { CoordinationV1Api, CoreV1Api, EventsV1Api, V1MicroTime, type CoreV1Event, type V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { startServer, statusOf } from './helpers.ts';

let server: KubeApiServer;
let core: CoreV1Api;
let coordination: CoordinationV1Api;
let events: EventsV1Api;

beforeAll(async () => {
  server = await startServer();
  const kc = server.kubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  coordination = kc.makeApiClient(CoordinationV1Api);
  events = kc.makeApiClient(EventsV1Api);
});
afterAll(() => server.close());

describe('secrets', () => {
  it('merges stringData into base64 data and never stores stringData', async () => {
    const created = await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'sec-a' }, data: { keep: Buffer.from('kept').toString('base64') }, stringData: { password: 'hunter2' } },
    });
    expect(created.type).toBe('Opaque');
    expect(created.data).toEqual({ keep: 'a2VwdA==', password: Buffer.from('hunter2').toString('base64') });
    expect(created.stringData).toBeUndefined();
    const raw = server.store.get('', 'secrets', 'default', 'sec-a');
    expect(raw?.stringData).toBeUndefined();
  });

  it('rejects data that is not base64 like the JSON decoder', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/default/secrets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec-bad' }, data: { k: 'not base64!' } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
  });

  it('keeps type immutable and checks well-known types', async () => {
    const created = await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'sec-type' }, stringData: { a: 'b' } } });
    const { code, body } = await statusOf(core.replaceNamespacedSecret({ name: 'sec-type', namespace: 'default', body: { ...created, type: 'kubernetes.io/tls' } }));
    expect(code).toBe(422);
    expect(body.details.causes[0]).toEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: "kubernetes.io/tls": field is immutable', field: 'type' });
    const tls = await statusOf(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'sec-tls' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'x' } } }));
    expect(tls.body.message).toBe('Secret "sec-tls" is invalid: data[tls.key]: Required value');
  });

  it('allows updates without resourceVersion (unconditional), unlike custom resources', async () => {
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'sec-uncond' }, stringData: { a: '1' } } });
    const replaced = await core.replaceNamespacedSecret({ name: 'sec-uncond', namespace: 'default', body: { metadata: { name: 'sec-uncond' }, stringData: { a: '2' } } });
    expect(replaced.data).toEqual({ a: Buffer.from('2').toString('base64') });
  });

  it('selects secrets by type', async () => {
    const list = await core.listNamespacedSecret({ namespace: 'default', fieldSelector: 'type=Opaque,metadata.name=sec-a' });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(['sec-a']);
  });
});

describe('configmaps', () => {
  it('validates keys with the server message', async () => {
    const { body } = await statusOf(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm-bad' }, data: { 'bad key': 'v' } } }));
    expect(body.message).toBe(
      `ConfigMap "cm-bad" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    );
  });

  it('refuses changes to immutable configmaps', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm-imm' }, data: { a: '1' }, immutable: true } });
    const { body } = await statusOf(core.replaceNamespacedConfigMap({ name: 'cm-imm', namespace: 'default', body: { ...created, data: { a: '2' } } }));
    expect(body.details.causes).toEqual([{ reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'data' }]);
  });

  it('lists typed items without apiVersion/kind, as typed lists are serialized', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/default/configmaps`);
    const list = (await response.json()) as { kind: string; apiVersion: string; items: Record<string, unknown>[] };
    expect(list.kind).toBe('ConfigMapList');
    expect(list.apiVersion).toBe('v1');
    expect(list.items[0]).not.toHaveProperty('kind');
  });
});

describe('leases', () => {
  // MicroTime fields need V1MicroTime (six fractional digits); see the next test for a plain Date.
  const lease = (name: string): V1Lease => ({
    metadata: { name },
    spec: { holderIdentity: 'pod-a', leaseDurationSeconds: 15, acquireTime: new V1MicroTime(), renewTime: new V1MicroTime(), leaseTransitions: 0 },
  });

  it('round-trips MicroTime fields and conflicts on a stale resourceVersion', async () => {
    const created = await coordination.createNamespacedLease({ namespace: 'default', body: lease('leader') });
    expect(created.spec?.holderIdentity).toBe('pod-a');
    expect(String(created.spec?.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const renewed = await coordination.replaceNamespacedLease({
      name: 'leader',
      namespace: 'default',
      body: { ...created, spec: { ...created.spec, renewTime: new V1MicroTime() } },
    });
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    const { code, body } = await statusOf(
      coordination.replaceNamespacedLease({ name: 'leader', namespace: 'default', body: { ...created, spec: { ...created.spec, holderIdentity: 'pod-b' } } }),
    );
    expect(code).toBe(409);
    expect(body.message).toBe(
      'Operation cannot be fulfilled on leases.coordination.k8s.io "leader": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('refuses a plain Date in a MicroTime field, like the Go decoder', async () => {
    const body = lease('ms-lease');
    const renewTime = new Date('2024-05-06T07:08:09.123Z');
    (body.spec as { renewTime: Date }).renewTime = renewTime;
    const { code, body: status } = await statusOf(coordination.createNamespacedLease({ namespace: 'default', body }));
    expect(code).toBe(400);
    expect(status.message).toBe(
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2024-05-06T07:08:09.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"',
    );
  });

  it('validates the lease spec', async () => {
    const bad = lease('bad-lease');
    (bad.spec as { leaseDurationSeconds: number }).leaseDurationSeconds = 0;
    const { body } = await statusOf(coordination.createNamespacedLease({ namespace: 'default', body: bad }));
    expect(body.message).toBe('Lease.coordination.k8s.io "bad-lease" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
  });
});

describe('events', () => {
  it('serves one storage through core/v1 and events.k8s.io/v1', async () => {
    const event: CoreV1Event = {
      metadata: { name: 'w1.17a0', namespace: 'default' },
      involvedObject: { apiVersion: 'test.example.io/v1', kind: 'Widget', name: 'w1', namespace: 'default', uid: 'u-1' },
      reason: 'Reconciled',
      message: 'all good',
      type: 'Normal',
      source: { component: 'drs-operator' },
      firstTimestamp: new Date(),
      lastTimestamp: new Date(),
      count: 1,
    };
    const stored = await core.createNamespacedEvent({ namespace: 'default', body: event });
    // metav1.Time is written back with second precision.
    expect(String((stored as unknown as { firstTimestamp: unknown }).firstTimestamp)).not.toContain('.');
    const viaEventsApi = await events.readNamespacedEvent({ name: 'w1.17a0', namespace: 'default' });
    expect(viaEventsApi.regarding?.name).toBe('w1');
    expect(viaEventsApi.note).toBe('all good');
    expect(viaEventsApi.deprecatedSource?.component).toBe('drs-operator');

    const found = await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=w1,involvedObject.namespace=default,involvedObject.kind=Widget,involvedObject.uid=u-1',
    });
    expect(found.items.map((e) => e.metadata?.name)).toEqual(['w1.17a0']);
  });

  it('applies the events.k8s.io creation rules', async () => {
    const { body } = await statusOf(
      events.createNamespacedEvent({ namespace: 'default', body: { metadata: { name: 'e2' }, eventTime: new V1MicroTime(), reason: 'R', type: 'Normal' } }),
    );
    expect(body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`)).toEqual([
      'reportingController: Required value',
      'reportingInstance: Required value',
      'action: Required value',
    ]);
    const created = await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'e3' },
        eventTime: new V1MicroTime(),
        reason: 'Synced',
        action: 'Reconcile',
        type: 'Normal',
        reportingController: 'example.com/drs-operator',
        reportingInstance: 'drs-operator-0',
        regarding: { kind: 'Widget', name: 'w1', namespace: 'default' },
        note: 'done',
      },
    });
    expect(created.note).toBe('done');
    const asCore = await core.readNamespacedEvent({ name: 'e3', namespace: 'default' });
    expect(asCore.message).toBe('done');
    expect(asCore.reportingComponent).toBe('example.com/drs-operator');
  });
});

describe('namespaces', () => {
  it('starts with default and kube-system', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const ns = await core.readNamespace({ name: 'default' });
    expect(ns.status?.phase).toBe('Active');
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
  });

  it('creates namespaces with the metadata.name label', async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    expect(ns.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
  });
});
