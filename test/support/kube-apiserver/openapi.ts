// OpenAPI documents. kubectl reads /openapi/v3 to explain resources (it
// looks for an operation tagged x-kubernetes-group-version-kind under the
// resource's path, then the component schema carrying the same GVK) and to
// decide whether PATCH supports server-side field validation (the
// fieldValidation query parameter) and strategic merge patch (by the
// request body media types). /openapi/v2 is served as JSON.
import { createHash } from 'node:crypto';
import { SERVER_VERSION } from './discovery.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import type { JSONSchemaProps } from './schema.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const DESCRIPTIONS = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  metadata: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  listMetadata: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/** Schemas every document references (a trimmed-down apimachinery meta/v1). */
function metaSchemas(ref: (name: string) => string): Record<string, unknown> {
  const str = (description: string) => ({ type: 'string', description });
  return {
    [`${META}.ObjectMeta`]: {
      description:
        'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
      type: 'object',
      properties: {
        annotations: { type: 'object', additionalProperties: { type: 'string', default: '' }, description: 'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations' },
        creationTimestamp: { allOf: [{ $ref: ref(`${META}.Time`) }], description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
        deletionGracePeriodSeconds: { type: 'integer', format: 'int64', description: 'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set.' },
        deletionTimestamp: { allOf: [{ $ref: ref(`${META}.Time`) }], description: 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.' },
        finalizers: { type: 'array', items: { type: 'string', default: '' }, description: 'Must be empty before the object is deleted from the registry.', 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
        generateName: str('GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
        generation: { type: 'integer', format: 'int64', description: 'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.' },
        labels: { type: 'object', additionalProperties: { type: 'string', default: '' }, description: 'Map of string keys and values that can be used to organize and categorize (scope and select) objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels' },
        managedFields: { type: 'array', items: { type: 'object' }, description: 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.' },
        name: str('Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'),
        namespace: str('Namespace defines the space within which each name must be unique. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces'),
        ownerReferences: { type: 'array', items: { default: {}, allOf: [{ $ref: ref(`${META}.OwnerReference`) }] }, description: 'List of objects depended by this object.', 'x-kubernetes-list-map-keys': ['uid'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' },
        resourceVersion: str('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency'),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
        uid: str('UID is the unique in time and space value for this object. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids'),
      },
    },
    [`${META}.OwnerReference`]: {
      description: 'OwnerReference contains enough information to let you identify an owning object.',
      type: 'object',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      properties: {
        apiVersion: str('API version of the referent.'),
        blockOwnerDeletion: { type: 'boolean', description: 'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.' },
        controller: { type: 'boolean', description: 'If true, this reference points to the managing controller.' },
        kind: str('Kind of the referent.'),
        name: str('Name of the referent.'),
        uid: str('UID of the referent.'),
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${META}.Time`]: { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.', type: 'string', format: 'date-time' },
    [`${META}.ListMeta`]: {
      description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
      type: 'object',
      properties: {
        continue: str('continue may be set if the user set a limit on the number of items returned.'),
        remainingItemCount: { type: 'integer', format: 'int64', description: 'remainingItemCount is the number of subsequent items in the list which are not included in this list response.' },
        resourceVersion: str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed."),
        selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
      },
    },
    [`${META}.Patch`]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
    [`${META}.Status`]: {
      description: 'Status is a return value for calls that don\'t return other objects.',
      type: 'object',
      properties: {
        apiVersion: str(DESCRIPTIONS.apiVersion),
        code: { type: 'integer', format: 'int32', description: 'Suggested HTTP return code for this status, 0 if not set.' },
        details: { type: 'object', description: 'Extended data associated with the reason.', 'x-kubernetes-preserve-unknown-fields': true },
        kind: str(DESCRIPTIONS.kind),
        message: str('A human-readable description of the status of this operation.'),
        metadata: { default: {}, allOf: [{ $ref: ref(`${META}.ListMeta`) }], description: DESCRIPTIONS.listMetadata },
        reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
        status: str('Status of the operation. One of: "Success" or "Failure".'),
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
    [`${META}.DeleteOptions`]: {
      description: 'DeleteOptions may be provided when deleting an API object.',
      type: 'object',
      properties: {
        apiVersion: str(DESCRIPTIONS.apiVersion),
        dryRun: { type: 'array', items: { type: 'string', default: '' }, description: 'When present, indicates that modifications should not be persisted.' },
        gracePeriodSeconds: { type: 'integer', format: 'int64', description: 'The duration in seconds before the object should be deleted.' },
        kind: str(DESCRIPTIONS.kind),
        orphanDependents: { type: 'boolean', description: 'Deprecated: please use the PropagationPolicy.' },
        preconditions: { type: 'object', properties: { resourceVersion: str('Specifies the target ResourceVersion'), uid: str('Specifies the target UID.') }, description: 'Must be fulfilled before a deletion is carried out.' },
        propagationPolicy: str("Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
      },
    },
  };
}

/** OpenAPI definition names: `io.example.test.v1.Widget`, `io.k8s.api.core.v1.Secret`. */
export function definitionName(rt: ResourceType, version: string, kind = rt.kind): string {
  if (rt.custom) return `${rt.group.split('.').reverse().join('.')}.${version}.${kind}`;
  if (rt.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${kind}`;
  const pkg = rt.group === '' ? 'core' : (rt.group.split('.')[0] as string);
  return `io.k8s.api.${pkg}.${version}.${kind}`;
}

function gvk(rt: ResourceType, version: string) {
  return { group: rt.group, kind: rt.kind, version };
}

/** A resource's object schema with apiVersion/kind/metadata filled in and refs in `ref` style. */
function objectSchema(rt: ResourceType, version: string, ref: (name: string) => string): Record<string, unknown> {
  const base = (rt.openAPISchema(version) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JSONSchemaProps;
  const properties: Record<string, unknown> = {
    apiVersion: { type: 'string', description: DESCRIPTIONS.apiVersion },
    kind: { type: 'string', description: DESCRIPTIONS.kind },
    metadata: { allOf: [{ $ref: ref(`${META}.ObjectMeta`) }], description: DESCRIPTIONS.metadata },
  };
  for (const [k, v] of Object.entries(base.properties ?? {})) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    properties[k] = v;
  }
  const served = JSON.parse(JSON.stringify(properties, (key, value) => (key === 'x-micro-time' ? undefined : value))) as Record<string, unknown>;
  const schema: Record<string, unknown> = { ...base, type: 'object', properties: served };
  delete schema['x-kubernetes-validations'];
  schema['x-kubernetes-group-version-kind'] = [gvk(rt, version)];
  return schema;
}

function listSchema(rt: ResourceType, version: string, ref: (name: string) => string): Record<string, unknown> {
  return {
    description: `${rt.kind}List is a list of ${rt.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: DESCRIPTIONS.apiVersion },
      items: { type: 'array', description: `List of ${rt.plural.toLowerCase()}.`, items: { $ref: ref(definitionName(rt, version)) } },
      kind: { type: 'string', description: DESCRIPTIONS.kind },
      metadata: { allOf: [{ $ref: ref(`${META}.ListMeta`) }], description: DESCRIPTIONS.listMetadata },
    },
    'x-kubernetes-group-version-kind': [{ group: rt.group, kind: rt.listKind, version }],
  };
}

const QUERY_PARAMS = {
  dryRun: 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
  fieldManager: 'fieldManager is a name associated with the actor or entity that is making these changes.',
  fieldValidation:
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present.',
};

function queryParams(names: (keyof typeof QUERY_PARAMS)[]) {
  return names.map((name) => ({ name, in: 'query', description: QUERY_PARAMS[name], schema: { type: 'string', uniqueItems: true } }));
}

function paths(rt: ResourceType, version: string, ref: (name: string) => string): Record<string, unknown> {
  const prefix = rt.group ? `/apis/${rt.group}/${version}` : `/api/${version}`;
  const collection = rt.namespaced ? `${prefix}/namespaces/{namespace}/${rt.plural}` : `${prefix}/${rt.plural}`;
  const item = `${collection}/{name}`;
  const objectRef = { $ref: ref(definitionName(rt, version)) };
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const tag = gvk(rt, version);
  const op = (action: string, verb: string, extra: Record<string, unknown> = {}) => ({
    description: `${verb} ${rt.kind}`,
    operationId: `${verb}${rt.kind}`,
    responses: { '200': { description: 'OK', content: json(objectRef) } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': tag,
    ...extra,
  });
  const patchBody = {
    requestBody: {
      content: Object.fromEntries((rt.openAPIPatchTypes ?? rt.patchTypes).map((t) => [t, { schema: { $ref: ref(`${META}.Patch`) } }])),
      required: true,
    },
    parameters: queryParams(['dryRun', 'fieldManager', 'fieldValidation']),
  };
  const nsParam = rt.namespaced ? [{ name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: { type: 'string', uniqueItems: true } }] : [];
  const nameParam = { name: 'name', in: 'path', required: true, description: `name of the ${rt.kind}`, schema: { type: 'string', uniqueItems: true } };
  const out: Record<string, unknown> = {
    [collection]: {
      get: op('list', 'list', { responses: { '200': { description: 'OK', content: json({ $ref: ref(definitionName(rt, version, rt.listKind)) }) } } }),
      post: op('post', 'create', { requestBody: { content: json(objectRef), required: true }, parameters: queryParams(['dryRun', 'fieldManager', 'fieldValidation']) }),
      delete: op('deletecollection', 'deletecollection'),
      parameters: nsParam,
    },
    [item]: {
      get: op('get', 'read'),
      put: op('put', 'replace', { requestBody: { content: json(objectRef), required: true }, parameters: queryParams(['dryRun', 'fieldManager', 'fieldValidation']) }),
      patch: op('patch', 'patch', patchBody),
      delete: op('delete', 'delete'),
      parameters: [nameParam, ...nsParam],
    },
  };
  for (const sub of rt.subresources.filter((s) => s === 'status')) {
    out[`${item}/status`] = {
      get: op('get', `read${sub}`),
      put: op('put', `replace${sub}`, { requestBody: { content: json(objectRef), required: true }, parameters: queryParams(['dryRun', 'fieldManager', 'fieldValidation']) }),
      patch: op('patch', `patch${sub}`, patchBody),
      parameters: [nameParam, ...nsParam],
    };
  }
  if (rt.namespaced) {
    out[`${prefix}/${rt.plural}`] = { get: op('list', `list${rt.kind}ForAllNamespaces`) };
  }
  return out;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Builds (and caches per registry generation) the OpenAPI documents. */
export class OpenAPIBuilder {
  private readonly registry: ResourceRegistry;
  private cachedGeneration = -1;
  private v3Docs = new Map<string, { doc: unknown; hash: string }>();
  private v2Doc: unknown;

  constructor(registry: ResourceRegistry) {
    this.registry = registry;
  }

  private refresh(): void {
    if (this.cachedGeneration === this.registry.generation) return;
    this.cachedGeneration = this.registry.generation;
    this.v3Docs = new Map();
    const ref3 = (name: string) => `#/components/schemas/${name}`;
    const byGV = new Map<string, ResourceType[]>();
    for (const rt of this.registry.all()) {
      for (const v of rt.versions) {
        const key = gvPath(rt.group, v);
        byGV.set(key, [...(byGV.get(key) ?? []), rt]);
      }
    }
    for (const [key, rts] of byGV) {
      const version = key.split('/').pop() as string;
      const schemas: Record<string, unknown> = metaSchemas(ref3);
      let allPaths: Record<string, unknown> = {};
      for (const rt of rts) {
        schemas[definitionName(rt, version)] = objectSchema(rt, version, ref3);
        schemas[definitionName(rt, version, rt.listKind)] = listSchema(rt, version, ref3);
        allPaths = { ...allPaths, ...paths(rt, version, ref3) };
      }
      const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths: allPaths, components: { schemas } };
      const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
      this.v3Docs.set(key, { doc, hash });
    }
    const ref2 = (name: string) => `#/definitions/${name}`;
    const definitions: Record<string, unknown> = metaSchemas(ref2);
    let v2Paths: Record<string, unknown> = {};
    for (const rt of this.registry.all()) {
      for (const v of rt.versions) {
        definitions[definitionName(rt, v)] = objectSchema(rt, v, ref2);
        definitions[definitionName(rt, v, rt.listKind)] = listSchema(rt, v, ref2);
        v2Paths = { ...v2Paths, ...paths(rt, v, ref2) };
      }
    }
    this.v2Doc = { swagger: '2.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths: v2Paths, definitions };
  }

  v3Index(): unknown {
    this.refresh();
    const paths: Record<string, unknown> = {};
    for (const [key, { hash }] of this.v3Docs) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    return { paths };
  }

  /** The document for `apis/<group>/<version>` or `api/v1`. */
  v3Document(path: string): unknown {
    this.refresh();
    return this.v3Docs.get(path)?.doc;
  }

  v2Document(): unknown {
    this.refresh();
    return this.v2Doc;
  }
}
