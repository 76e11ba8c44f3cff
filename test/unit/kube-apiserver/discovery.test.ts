// Discovery, OpenAPI and Table output over plain HTTP, and CRDs registered
// dynamically through the API.
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { eventually, GROUP, mergePatch, startServer, statusOf, widget, widgets, type Obj } from './helpers.ts';

let server: KubeApiServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function get(path: string, accept?: string): Promise<{ status: number; body: Obj; contentType: string | null }> {
  const response = await fetch(`${server.url}${path}`, { headers: accept ? { Accept: accept } : {} });
  return { status: response.status, body: (await response.json()) as Obj, contentType: response.headers.get('content-type') };
}

describe('discovery', () => {
  it('serves /version', async () => {
    expect((await get('/version')).body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
  });

  it('serves legacy discovery documents', async () => {
    expect((await get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await get('/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((g: Obj) => g.name)).toEqual(
      expect.arrayContaining(['apiextensions.k8s.io', 'coordination.k8s.io', 'events.k8s.io', GROUP]),
    );
    expect((await get(`/apis/${GROUP}`)).body).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: GROUP,
      versions: [{ groupVersion: `${GROUP}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${GROUP}/v1`, version: 'v1' },
    });
    const resources = (await get(`/apis/${GROUP}/v1`)).body;
    expect(resources.kind).toBe('APIResourceList');
    const byName = Object.fromEntries((resources.resources as Obj[]).map((r) => [r.name, r]));
    expect(byName.widgets).toMatchObject({
      singularName: 'widget',
      namespaced: true,
      kind: 'Widget',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      shortNames: ['wd'],
      categories: ['example'],
    });
    expect(byName['widgets/status']).toMatchObject({ namespaced: true, kind: 'Widget', verbs: ['get', 'patch', 'update'] });
    expect(byName.gizmos).toMatchObject({ namespaced: false });
    const core = (await get('/api/v1')).body;
    expect((core.resources as Obj[]).map((r) => r.name)).toEqual(
      expect.arrayContaining(['configmaps', 'events', 'namespaces', 'namespaces/status', 'secrets']),
    );
  });

  it('serves aggregated discovery when asked for it', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const { body, contentType } = await get('/apis', accept);
    expect(contentType).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(body.kind).toBe('APIGroupDiscoveryList');
    const group = (body.items as Obj[]).find((i) => i.metadata.name === GROUP) as Obj;
    const widgetsResource = (group.versions[0].resources as Obj[]).find((r) => r.resource === 'widgets');
    expect(widgetsResource).toMatchObject({
      responseKind: { group: GROUP, version: 'v1', kind: 'Widget' },
      scope: 'Namespaced',
      singularResource: 'widget',
      subresources: [{ subresource: 'status', verbs: ['get', 'patch', 'update'] }],
    });
  });

  it('answers unknown API paths with a 404 Status', async () => {
    const { status, body } = await get('/apis/nope.example.io/v1/things');
    expect(status).toBe(404);
    expect(body).toMatchObject({ reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
});

describe('openapi', () => {
  it('indexes group versions in /openapi/v3 and serves documents with GVK extensions', async () => {
    const index = (await get('/openapi/v3')).body;
    const url = index.paths[`apis/${GROUP}/v1`].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/test\.example\.io\/v1\?hash=[0-9A-F]+$/);
    const doc = (await get(url)).body;
    const schema = doc.components.schemas['io.example.test.v1.Widget'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: GROUP, kind: 'Widget', version: 'v1' }]);
    expect(schema.properties.spec.properties.size.description).toBe('How big the widget is, from 1 to 100.');
    const patch = doc.paths[`/apis/${GROUP}/v1/namespaces/{namespace}/widgets/{name}`].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: GROUP, kind: 'Widget', version: 'v1' });
    expect(patch.parameters.map((p: Obj) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
  });

  it('serves /openapi/v2 as JSON', async () => {
    const doc = (await get('/openapi/v2', 'application/json')).body;
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.example.test.v1.Widget']).toBeDefined();
  });
});

describe('tables', () => {
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('renders printer columns, with date columns as ages', async () => {
    const w = widgets(server.kubeConfig());
    await w.create(widget('t-1', { type: 'square', size: 70 }));
    await w.mergeStatus('t-1', { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    const { body, contentType } = await get('/apis/test.example.io/v1/namespaces/default/widgets', TABLE);
    expect(contentType).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(body.kind).toBe('Table');
    expect(body.apiVersion).toBe('meta.k8s.io/v1');
    expect(body.metadata.resourceVersion).toBe(String(server.store.resourceVersion));
    expect(body.columnDefinitions.map((c: Obj) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Type', 'string'],
      ['Size', 'integer'],
      ['Ready', 'string'],
      ['Age', 'date'],
    ]);
    const row = (body.rows as Obj[]).find((r) => r.cells[0] === 't-1') as Obj;
    expect(row.cells).toEqual(['t-1', 'square', 70, 'True', expect.stringMatching(/^\d+s$/)]);
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 't-1' } });
  });

  it('adds the default Age column when a CRD declares no printer columns', async () => {
    const { body } = await get('/apis/test.example.io/v1/gizmos', TABLE);
    expect(body.columnDefinitions.map((c: Obj) => c.name)).toEqual(['Name', 'Age']);
  });

  it('includes full objects with includeObject=Object', async () => {
    const { body } = await get('/apis/test.example.io/v1/namespaces/default/widgets/t-1?includeObject=Object', TABLE);
    expect(body.rows[0].object.spec).toEqual({ type: 'square', size: 70, phase: 'Running' });
  });
});

describe('CRDs through the API', () => {
  const sprocket = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'sprockets.test.example.io' },
    spec: {
      group: GROUP,
      names: { plural: 'sprockets', kind: 'Sprocket' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { teeth: { type: 'integer' } } } } } } }],
    },
  };
  const crds = () => ({ api: server.kubeConfig().makeApiClient(CustomObjectsApi), path: { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' } });

  it('registers a created CRD at once, with Established status', async () => {
    const { api, path } = crds();
    const created = (await api.createClusterCustomObject({ ...path, body: sprocket })) as Obj;
    expect(created.spec.names).toMatchObject({ singular: 'sprocket', listKind: 'SprocketList' });
    expect(created.status.acceptedNames).toMatchObject({ plural: 'sprockets', kind: 'Sprocket' });
    expect(created.status.conditions.map((c: Obj) => [c.type, c.status])).toEqual([
      ['NamesAccepted', 'True'],
      ['Established', 'True'],
    ]);
    expect(created.status.storedVersions).toEqual(['v1']);
    const resources = (await get(`/apis/${GROUP}/v1`)).body.resources as Obj[];
    expect(resources.map((r) => r.name)).toContain('sprockets');
    const obj = (await api.createNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: 'default',
      plural: 'sprockets',
      body: { apiVersion: `${GROUP}/v1`, kind: 'Sprocket', metadata: { name: 's1', finalizers: ['test.example.io/hold'] }, spec: { teeth: 12 } },
    })) as Obj;
    expect(obj.spec.teeth).toBe(12);
  });

  it('serves every served version of a CRD, converting by apiVersion only (strategy None)', async () => {
    const { api, path } = crds();
    const version = (name: string, storage: boolean) => ({
      name,
      served: true,
      storage,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer' } } } } } },
    });
    await api.createClusterCustomObject({
      ...path,
      body: { ...sprocket, metadata: { name: 'cogs.test.example.io' }, spec: { ...sprocket.spec, names: { plural: 'cogs', kind: 'Cog' }, versions: [version('v1alpha1', false), version('v1', true)] } },
    });
    const cogs = { group: GROUP, namespace: 'default', plural: 'cogs' };
    await api.createNamespacedCustomObject({ ...cogs, version: 'v1alpha1', body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'Cog', metadata: { name: 'c1' }, spec: { n: 1 } } });
    const asV1 = (await api.getNamespacedCustomObject({ ...cogs, version: 'v1', name: 'c1' })) as Obj;
    expect(asV1.apiVersion).toBe(`${GROUP}/v1`);
    expect(server.store.get(GROUP, 'cogs', 'default', 'c1')?.apiVersion).toBe(`${GROUP}/v1`);
    const group = (await get(`/apis/${GROUP}`)).body;
    expect(group.versions.map((v: Obj) => v.version)).toEqual(['v1', 'v1alpha1']);
    expect(group.preferredVersion.version).toBe('v1');
  });

  it('deleting a CRD removes its objects (finalizers respected) and then the API', async () => {
    const { api, path } = crds();
    const deleting = (await api.deleteClusterCustomObject({ ...path, name: 'sprockets.test.example.io' })) as Obj;
    expect(deleting.metadata.finalizers).toContain('customresourcecleanup.apiextensions.k8s.io');
    const sprockets = { group: GROUP, version: 'v1', namespace: 'default', plural: 'sprockets' };
    // The CR holds a finalizer: the CRD waits for it. Creates are refused meanwhile.
    await eventually(async () => !!((await api.getNamespacedCustomObject({ ...sprockets, name: 's1' })) as Obj).metadata.deletionTimestamp);
    const refused = await statusOf(api.createNamespacedCustomObject({ ...sprockets, body: { apiVersion: `${GROUP}/v1`, kind: 'Sprocket', metadata: { name: 's2' } } }));
    expect(refused.code).toBe(405);
    await api.patchNamespacedCustomObject({ ...sprockets, name: 's1', body: { metadata: { finalizers: null } } }, mergePatch);
    await eventually(async () => !((await get(`/apis/${GROUP}/v1`)).body.resources as Obj[]).some((r) => r.name === 'sprockets'));
    expect((await statusOf(api.getClusterCustomObject({ ...path, name: 'sprockets.test.example.io' }))).code).toBe(404);
  });
});
