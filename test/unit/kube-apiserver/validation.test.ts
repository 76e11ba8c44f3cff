// Custom resource validation as the apiserver does it: OpenAPI schema checks
// with kube-openapi's messages, pruning of unknown fields (warn / strict),
// defaulting, list-type invariants, ratcheting, and x-kubernetes-validations
// CEL rules (immutability, transition rules, messageExpression, reason).
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { GROUP, mergePatch, startServer, statusOf, widget, widgets, type Obj } from './helpers.ts';

let server: KubeApiServer;
let w: ReturnType<typeof widgets>;

beforeAll(async () => {
  server = await startServer();
  w = widgets(server.kubeConfig());
});
afterAll(() => server.close());

const RULES_SKIPPED: [string, string] = [
  '<nil>',
  'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
];

/** The causes of a 422, as [field, message] pairs. */
async function causes(call: Promise<unknown>): Promise<[string, string][]> {
  const { code, body } = await statusOf(call);
  expect(code).toBe(422);
  expect(body.reason).toBe('Invalid');
  return (body.details.causes as Obj[]).map((c) => [c.field, c.message]);
}

async function rawPost(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('schema validation', () => {
  it('reports enum violations as Unsupported value', async () => {
    // Enum, required, type, maxLength and maxItems errors are "blocking": CEL rules are then skipped, with a notice.
    expect(await causes(w.create(widget('v-enum', { type: 'oval', size: 3 })))).toEqual([
      ['spec.type', 'Unsupported value: "oval": supported values: "round", "square"'],
      RULES_SKIPPED,
    ]);
  });

  it('reports missing required fields', async () => {
    const { body } = await statusOf(w.create(widget('v-req', { type: 'round' })));
    expect(body.message).toBe(`Widget.test.example.io "v-req" is invalid: [spec.size: Required value, <nil>: ${RULES_SKIPPED[1]}]`);
    expect(body.details.causes[0]).toEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' });
  });

  it('reports wrong types, and skips CEL rules while such errors exist', async () => {
    expect(await causes(w.create(widget('v-type', { type: 'round', size: 'big' })))).toEqual([
      ['spec.size', 'Invalid value: "string": spec.size in body must be of type integer: "string"'],
      RULES_SKIPPED,
    ]);
  });

  it('reports pattern, bounds, lengths and formats with kube-openapi wording', async () => {
    const found = await causes(
      w.create(
        widget('v-misc', {
          type: 'square',
          size: 0,
          displayName: 'Not_Valid',
          labels: { k: 'this value is too long' },
          deadline: 'tomorrow',
        }),
      ),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        ['spec.size', 'Invalid value: 0: spec.size in body should be greater than or equal to 1'],
        ['spec.displayName', `Invalid value: "Not_Valid": spec.displayName in body should match '^[a-z][a-z0-9-]*$'`],
        ['spec.labels.k', 'Too long: may not be more than 10 bytes'],
        ['spec.deadline', 'Invalid value: "tomorrow": spec.deadline in body must be of type date-time: "tomorrow"'],
      ]),
    );
  });

  it('aggregates several errors in brackets in the message', async () => {
    const { body } = await statusOf(w.create(widget('v-many', { type: 'oval', size: 200 })));
    expect(body.message).toBe(
      'Widget.test.example.io "v-many" is invalid: [spec.type: Unsupported value: "oval": supported values: "round", "square", spec.size: Invalid value: 200: spec.size in body should be less than or equal to 100, <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
    );
  });

  it('accepts int-or-string values and rejects others', async () => {
    await w.create(widget('v-port-n', { type: 'round', size: 1, port: 8080 }));
    await w.create(widget('v-port-s', { type: 'round', size: 1, port: 'http' }));
    const found = await causes(w.create(widget('v-port-b', { type: 'round', size: 1, port: true })));
    expect(found[0]).toEqual(['spec.port', 'Invalid value: "boolean": spec.port in body must be of type integer: "boolean"']);
  });

  it('enforces x-kubernetes-list-type: map keys', async () => {
    expect(
      await causes(w.create(widget('v-parts', { type: 'round', size: 1, parts: [{ name: 'a' }, { name: 'a', count: 2 }] }))),
    ).toEqual([['spec.parts[1]', 'Duplicate value: map[string]interface {}{"name":"a"}']]);
  });
});

describe('pruning and defaulting', () => {
  it('drops unknown fields silently and warns about them (fieldValidation=Warn, the default)', async () => {
    const response = await rawPost('/apis/test.example.io/v1/namespaces/default/widgets', {
      ...widget('p-warn', { type: 'round', size: 2, bogus: 1, config: { anything: { goes: true } } }),
      extra: 'top-level',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('warning')).toBe('299 - "unknown field \\"spec.bogus\\"", 299 - "unknown field \\"extra\\""');
    const created = (await response.json()) as Obj;
    expect(created.spec).toEqual({ type: 'round', size: 2, phase: 'Running', config: { anything: { goes: true } } });
    expect(created.extra).toBeUndefined();
  });

  it('rejects unknown fields with fieldValidation=Strict', async () => {
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const { code, body } = await statusOf(
      api.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace: 'default',
        plural: 'widgets',
        body: widget('p-strict', { type: 'round', size: 2, bogus: 1 }),
        fieldValidation: 'Strict',
      }),
    );
    expect(code).toBe(400);
    expect(body.message).toBe('Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"');
  });

  it('applies defaults, including inside list items', async () => {
    const created = await w.create(widget('p-default', { type: 'round', size: 2, parts: [{ name: 'a' }, { name: 'b', count: 5 }] }));
    expect(created.spec.phase).toBe('Running');
    expect(created.spec.parts).toEqual([
      { name: 'a', count: 1 },
      { name: 'b', count: 5 },
    ]);
  });

  it('drops nulls for non-nullable fields, or replaces them with the default', async () => {
    const created = await w.create(widget('p-null', { type: 'round', size: 2, displayName: null, phase: null }));
    expect(created.spec).toEqual({ type: 'round', size: 2, phase: 'Running' });
  });

  it('drops unknown metadata fields', async () => {
    const created = await w.create({ ...widget('p-meta'), metadata: { name: 'p-meta', colour: 'blue' } });
    expect(created.metadata.colour).toBeUndefined();
  });
});

describe('CEL rules (x-kubernetes-validations)', () => {
  it('rejects changing an immutable field with the real 422', async () => {
    await w.create(widget('c-immutable'));
    const { code, body } = await statusOf(w.merge('c-immutable', { spec: { type: 'square' } }));
    expect(code).toBe(422);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Widget.test.example.io "c-immutable" is invalid: spec.type: Invalid value: "string": type is immutable',
      reason: 'Invalid',
      details: {
        name: 'c-immutable',
        group: GROUP,
        kind: 'Widget',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "string": type is immutable', field: 'spec.type' }],
      },
      code: 422,
    });
  });

  it('runs transition rules only on update, when the old value exists', async () => {
    // Created directly as Stopped: the transition rule (and the self == oldSelf rule) do not run on create.
    const stopped = await w.create(widget('c-stopped', { type: 'round', size: 1, phase: 'Stopped' }));
    expect(stopped.spec.phase).toBe('Stopped');
    expect(await causes(w.merge('c-stopped', { spec: { phase: 'Running' } }))).toEqual([
      ['spec.phase', 'Invalid value: "string": a stopped widget cannot be restarted'],
    ]);
    await w.create(widget('c-running', { type: 'round', size: 1 }));
    const now = await w.merge('c-running', { spec: { phase: 'Stopped' } });
    expect(now.spec.phase).toBe('Stopped');
  });

  it('uses messageExpression and fieldPath', async () => {
    expect(await causes(w.create(widget('c-msgexpr', { type: 'round', size: 60 })))).toEqual([
      ['spec.size', 'Invalid value: "object": round widgets cannot be larger than 50, got 60'],
    ]);
    await w.create(widget('c-square', { type: 'square', size: 60 }));
  });

  it('honours the rule reason', async () => {
    expect(await causes(w.create(widget('c-reason', { type: 'round', size: 1, displayName: 'reserved' })))).toEqual([
      ['spec.displayName', 'Forbidden: the display name "reserved" is taken'],
    ]);
  });
});

describe('ratcheting after a CRD update', () => {
  it('tolerates unchanged invalid values but rejects new ones', async () => {
    await w.create(widget('r-1', { type: 'round', size: 1, displayName: 'long-display-name' }));
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const crdPath = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', name: 'widgets.test.example.io' };
    const crd = (await api.getClusterCustomObject(crdPath)) as Obj;
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    spec.properties.displayName.maxLength = 5;
    const updated = (await api.replaceClusterCustomObject({ ...crdPath, body: crd })) as Obj;
    expect(updated.metadata.generation).toBe(2);

    const resized = await w.merge('r-1', { spec: { size: 2 } });
    expect(resized.spec.size).toBe(2);
    expect(await causes(w.merge('r-1', { spec: { displayName: 'still-too-long' } }))).toEqual([
      ['spec.displayName', 'Too long: may not be more than 5 bytes'],
      RULES_SKIPPED,
    ]);
    expect(await causes(w.create(widget('r-2', { type: 'round', size: 1, displayName: 'long-display-name' })))).toEqual([
      ['spec.displayName', 'Too long: may not be more than 5 bytes'],
      RULES_SKIPPED,
    ]);

    spec.properties.displayName.maxLength = 20;
    await api.replaceClusterCustomObject({ ...crdPath, body: { ...crd, metadata: updated.metadata } });
  });
});

describe('CRD validation', () => {
  const crd = (rule: string): Obj => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'broken.test.example.io' },
    spec: {
      group: GROUP,
      names: { plural: 'broken', kind: 'Broken' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule }] } } } },
        },
      ],
    },
  });

  it('rejects CEL rules that do not compile', async () => {
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const { code, body } = await statusOf(
      api.createClusterCustomObject({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', body: crd('self.a >') }),
    );
    expect(code).toBe(422);
    expect(body.details.causes[0].field).toBe('spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule');
    expect(body.details.causes[0].message).toMatch(/^Invalid value: "self.a >": compilation failed: ERROR: /);
  });

  it('rejects a name that is not <plural>.<group>', async () => {
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const bad = { ...crd('true'), metadata: { name: 'wrong.test.example.io' } };
    const { body } = await statusOf(
      api.createClusterCustomObject({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', body: bad }),
    );
    expect(body.details.causes).toContainEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "wrong.test.example.io": must be spec.names.plural+"."+spec.group',
      field: 'metadata.name',
    });
  });

  it('merge-patches CRDs like any resource', async () => {
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const patched = (await api.patchClusterCustomObject(
      { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', name: 'gizmos.test.example.io', body: { metadata: { labels: { a: 'b' } } } },
      mergePatch,
    )) as Obj;
    expect(patched.metadata.labels).toEqual({ a: 'b' });
    expect(patched.metadata.generation).toBe(1);
  });
});
