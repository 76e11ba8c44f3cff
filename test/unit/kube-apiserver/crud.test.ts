// Object semantics through @kubernetes/client-node: CRUD, patches,
// optimistic concurrency, the status subresource, generation, selectors.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { GROUP, mergePatch, startServer, statusOf, strategicMergePatch, widget, widgets, type Obj } from './helpers.ts';

let server: KubeApiServer;
let w: ReturnType<typeof widgets>;

beforeAll(async () => {
  server = await startServer();
  w = widgets(server.kubeConfig());
});
afterAll(() => server.close());

describe('create, get, list, update, delete', () => {
  it('creates with server-set metadata and reads it back', async () => {
    const created = await w.create(widget('crud-a', { type: 'round', size: 5 }, { labels: { app: 'a' } }));
    expect(created.metadata).toMatchObject({ name: 'crud-a', namespace: 'default', generation: 1 });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(created.spec.phase).toBe('Running'); // schema default
    expect(await w.get('crud-a')).toEqual(created);
  });

  it('assigns resourceVersions from one increasing counter', async () => {
    const a = await w.create(widget('crud-rv-1'));
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    const cm = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'crud-rv' } } });
    const b = await w.create(widget('crud-rv-2'));
    const rvs = [a.metadata.resourceVersion, cm.metadata?.resourceVersion, b.metadata.resourceVersion].map(Number);
    expect(rvs[1]).toBeGreaterThan(rvs[0] as number);
    expect(rvs[2]).toBeGreaterThan(rvs[1] as number);
  });

  it('answers 404 NotFound with the real Status', async () => {
    const { code, body } = await statusOf(w.get('missing'));
    expect(code).toBe(404);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'widgets.test.example.io "missing" not found',
      reason: 'NotFound',
      details: { name: 'missing', group: GROUP, kind: 'widgets' },
      code: 404,
    });
  });

  it('answers 409 AlreadyExists for a taken name', async () => {
    await w.create(widget('crud-dup'));
    const { code, body } = await statusOf(w.create(widget('crud-dup')));
    expect(code).toBe(409);
    expect(body.reason).toBe('AlreadyExists');
    expect(body.message).toBe('widgets.test.example.io "crud-dup" already exists');
    expect(body.details).toEqual({ name: 'crud-dup', group: GROUP, kind: 'widgets' });
  });

  it('refuses objects in a namespace that does not exist (404 for the namespace)', async () => {
    const { code, body } = await statusOf(widgets(server.kubeConfig(), 'nope').create(widget('x')));
    expect(code).toBe(404);
    expect(body.message).toBe('namespaces "nope" not found');
    expect(body.details).toEqual({ name: 'nope', kind: 'namespaces' });
  });

  it('generates names from generateName', async () => {
    const created = await w.create({ ...widget(''), metadata: { generateName: 'gen-' } });
    expect(created.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('updates with the current resourceVersion and rejects a stale one with 409 Conflict', async () => {
    const created = await w.create(widget('crud-upd'));
    const updated = await w.replace('crud-upd', { ...created, spec: { ...created.spec, size: 7 } });
    expect(updated.spec.size).toBe(7);
    expect(updated.metadata.generation).toBe(2);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));

    const { code, body } = await statusOf(w.replace('crud-upd', { ...created, spec: { ...created.spec, size: 9 } }));
    expect(code).toBe(409);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on widgets.test.example.io "crud-upd": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'crud-upd', group: GROUP, kind: 'widgets' },
      code: 409,
    });
  });

  it('rejects a custom resource PUT without resourceVersion, as the CR strategy does', async () => {
    const created = await w.create(widget('crud-norv'));
    const { metadata, ...rest } = created;
    const { resourceVersion: _rv, ...metaWithoutRV } = metadata as Obj;
    const { code, body } = await statusOf(w.replace('crud-norv', { ...rest, metadata: metaWithoutRV }));
    expect(code).toBe(422);
    expect(body.message).toBe(
      'widgets.test.example.io "crud-norv" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    expect(body.details.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' },
    ]);
  });

  it('does not bump resourceVersion for an update that changes nothing', async () => {
    const created = await w.create(widget('crud-noop'));
    const same = await w.replace('crud-noop', created);
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('rejects renaming through the URL with 400', async () => {
    const created = await w.create(widget('crud-name'));
    const { code, body } = await statusOf(w.replace('crud-name', { ...created, metadata: { ...created.metadata, name: 'other' } }));
    expect(code).toBe(400);
    expect(body.message).toBe('the name of the object (other) does not match the name on the URL (crud-name)');
  });

  it('deletes objects without finalizers at once, answering a Success Status', async () => {
    const created = await w.create(widget('crud-del'));
    const result = await w.delete('crud-del');
    expect(result).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'crud-del', group: GROUP, kind: 'widgets', uid: created.metadata.uid },
    });
    expect((await statusOf(w.get('crud-del'))).code).toBe(404);
  });

  it('checks delete preconditions (uid, resourceVersion) with the BeforeDelete messages', async () => {
    const created = await w.create(widget('crud-pre'));
    const stale = await statusOf(w.delete('crud-pre', { preconditions: { resourceVersion: '1' } }));
    expect(stale.code).toBe(409);
    expect(stale.body.message).toBe(
      `Operation cannot be fulfilled on Widget.test.example.io "crud-pre": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${created.metadata.resourceVersion}). The object might have been modified`,
    );
    const uid = await statusOf(w.delete('crud-pre', { preconditions: { uid: 'not-it' } }));
    expect(uid.body.message).toContain('the UID in the precondition (not-it) does not match the UID in record');
    await w.delete('crud-pre', { preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } });
  });
});

describe('dry run and collections', () => {
  it('validates but does not persist with dryRun=All', async () => {
    const rv = server.store.resourceVersion;
    const api = w.api;
    const result = await api.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', body: widget('dry'), dryRun: 'All' });
    expect(result.metadata.uid).toBeTruthy();
    expect(server.store.resourceVersion).toBe(rv);
    expect((await statusOf(w.get('dry'))).code).toBe(404);
  });

  it('deletes a labelled collection', async () => {
    await w.create(widget('col-1', undefined, { labels: { batch: 'b1' } }));
    await w.create(widget('col-2', undefined, { labels: { batch: 'b1' }, finalizers: ['test.example.io/hold'] }));
    const result = await w.api.deleteCollectionNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', labelSelector: 'batch=b1' });
    expect(result.kind).toBe('WidgetList');
    expect((result.items as Obj[]).map((i) => i.metadata.name)).toEqual(['col-1', 'col-2']);
    expect((await statusOf(w.get('col-1'))).code).toBe(404);
    expect((await w.get('col-2')).metadata.deletionTimestamp).toBeTruthy();
  });
});

describe('patches', () => {
  it('applies merge patches (client-node: Content-Type via setHeaderOptions)', async () => {
    await w.create(widget('patch-merge', { type: 'round', size: 3, labels: { a: 'x', b: 'y' } }));
    const patched = await w.merge('patch-merge', { spec: { size: 4, labels: { b: null, c: 'z' } } });
    expect(patched.spec).toMatchObject({ size: 4, labels: { a: 'x', c: 'z' } });
    expect(patched.metadata.generation).toBe(2);
  });

  it('applies JSON patches, including a test op used as a precondition', async () => {
    const created = await w.create(widget('patch-json'));
    const patched = await w.jsonPatch('patch-json', [
      { op: 'test', path: '/metadata/resourceVersion', value: created.metadata.resourceVersion },
      { op: 'replace', path: '/spec/size', value: 10 },
      { op: 'add', path: '/metadata/labels', value: { tier: 'gold' } },
    ]);
    expect(patched.spec.size).toBe(10);
    expect(patched.metadata.labels).toEqual({ tier: 'gold' });
    const failed = await statusOf(w.jsonPatch('patch-json', [{ op: 'test', path: '/spec/size', value: 1 }]));
    expect(failed.code).toBe(422);
    expect(failed.body.details.causes[0].message).toBe('testing value /spec/size failed: test failed');
  });

  it('applies a merge patch carrying a stale resourceVersion as a conflict', async () => {
    await w.create(widget('patch-stale'));
    const { code, body } = await statusOf(w.merge('patch-stale', { metadata: { resourceVersion: '1' }, spec: { size: 2 } }));
    expect(code).toBe(409);
    expect(body.reason).toBe('Conflict');
  });

  it('answers strategic merge patch on custom resources with 415', async () => {
    await w.create(widget('patch-smp'));
    const { code, body } = await statusOf(
      w.api.patchNamespacedCustomObject(
        { group: GROUP, version: 'v1', namespace: 'default', plural: 'widgets', name: 'patch-smp', body: { spec: { size: 2 } } },
        strategicMergePatch,
      ),
    );
    expect(code).toBe(415);
    expect(body.reason).toBe('UnsupportedMediaType');
    expect(body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('accepts strategic merge patch on built-ins (served as a merge patch)', async () => {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'patch-smp-cm' }, data: { a: '1' } } });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'patch-smp-cm', namespace: 'default', body: { data: { b: '2' } } },
      strategicMergePatch,
    );
    expect(patched.data).toEqual({ a: '1', b: '2' });
  });
});

describe('status subresource and generation', () => {
  it('ignores status on create and on main-resource writes', async () => {
    const created = await w.create({ ...widget('status-main'), status: { message: 'set on create' } });
    expect(created.status).toBeUndefined();
    const patched = await w.merge('status-main', { status: { message: 'set via main' } });
    expect(patched.status).toBeUndefined();
    expect(patched.metadata.generation).toBe(1);
  });

  it('changes only status through /status, without bumping generation', async () => {
    const created = await w.create(widget('status-sub'));
    const updated = await w.replaceStatus('status-sub', {
      ...created,
      metadata: { ...created.metadata, labels: { ignored: 'yes' } },
      spec: { type: 'square', size: 99 },
      status: { observedGeneration: 1, message: 'ok' },
    });
    expect(updated.status).toEqual({ observedGeneration: 1, message: 'ok' });
    expect(updated.spec).toEqual(created.spec);
    expect(updated.metadata.labels).toBeUndefined();
    expect(updated.metadata.generation).toBe(1);
    const merged = await w.mergeStatus('status-sub', { status: { message: 'merged' } });
    expect(merged.status).toEqual({ observedGeneration: 1, message: 'merged' });
    expect(merged.metadata.generation).toBe(1);
  });

  it('validates status writes against the schema', async () => {
    await w.create(widget('status-invalid'));
    const { code, body } = await statusOf(
      w.mergeStatus('status-invalid', { status: { conditions: [{ type: 'Ready', status: 'Maybe' }] } }),
    );
    expect(code).toBe(422);
    expect(body.details.causes[0]).toEqual({
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "Maybe": supported values: "True", "False", "Unknown"',
      field: 'status.conditions[0].status',
    });
  });

  it('bumps generation for spec changes only, not metadata changes', async () => {
    await w.create(widget('gen'));
    const labelled = await w.merge('gen', { metadata: { labels: { x: 'y' }, annotations: { a: 'b' } } });
    expect(labelled.metadata.generation).toBe(1);
    const resized = await w.merge('gen', { spec: { size: 8 } });
    expect(resized.metadata.generation).toBe(2);
    const clientSet = await w.merge('gen', { metadata: { generation: 42 } });
    expect(clientSet.metadata.generation).toBe(2);
  });

  it('treats status as content (bumping generation) when the CRD has no status subresource', async () => {
    const api = widgets(server.kubeConfig()).api;
    const base = { group: GROUP, version: 'v1', plural: 'gizmos' };
    const created = await api.createClusterCustomObject({ ...base, body: { apiVersion: `${GROUP}/v1`, kind: 'Gizmo', metadata: { name: 'g1' }, spec: { color: 'red' }, status: { seen: true } } });
    expect(created.status).toEqual({ seen: true });
    expect(created.metadata.namespace).toBeUndefined();
    const patched = await api.patchClusterCustomObject({ ...base, name: 'g1', body: { status: { seen: false } } }, mergePatch);
    expect(patched.metadata.generation).toBe(2);
  });
});

describe('list, selectors, pagination', () => {
  beforeAll(async () => {
    const sel = widgets(server.kubeConfig());
    await sel.create(widget('sel-1', undefined, { labels: { app: 'web', tier: 'front' } }));
    await sel.create(widget('sel-2', undefined, { labels: { app: 'web', tier: 'back' } }));
    await sel.create(widget('sel-3', undefined, { labels: { app: 'db' } }));
  });

  const names = (list: Obj) => (list.items as Obj[]).map((i) => i.metadata.name).filter((n: string) => n.startsWith('sel-'));

  it('returns WidgetList with the current resourceVersion', async () => {
    const list = await w.list();
    expect(list.kind).toBe('WidgetList');
    expect(list.apiVersion).toBe('test.example.io/v1');
    expect(Number(list.metadata.resourceVersion)).toBe(server.store.resourceVersion);
  });

  it.each([
    ['app=web', ['sel-1', 'sel-2']],
    ['app==web,tier!=back', ['sel-1']],
    ['app in (db, cache)', ['sel-3']],
    ['app notin (web)', ['sel-3']],
    ['tier', ['sel-1', 'sel-2']],
    ['!tier,app', ['sel-3']],
  ])('filters by labelSelector %s', async (selector, expected) => {
    expect(names(await w.list({ labelSelector: selector }))).toEqual(expected);
  });

  it('filters by fieldSelector on metadata.name and metadata.namespace', async () => {
    expect(names(await w.list({ fieldSelector: 'metadata.name=sel-2' }))).toEqual(['sel-2']);
    expect(names(await w.list({ fieldSelector: 'metadata.namespace=default,metadata.name!=sel-2', labelSelector: 'app' }))).toEqual(['sel-1', 'sel-3']);
  });

  it('rejects unsupported field labels with 400', async () => {
    const { code, body } = await statusOf(w.list({ fieldSelector: 'spec.type=round' }));
    expect(code).toBe(400);
    expect(body.message).toBe('field label not supported: spec.type');
  });

  it('pages with limit/continue', async () => {
    const first = await w.list({ labelSelector: 'app', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    const second = await w.list({ labelSelector: 'app', limit: 2, _continue: first.metadata.continue });
    expect([...names(first), ...names(second)]).toEqual(['sel-1', 'sel-2', 'sel-3']);
    expect(second.metadata.continue).toBe('');
  });
});
