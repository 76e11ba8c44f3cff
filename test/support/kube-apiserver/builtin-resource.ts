// A ResourceType for a built-in (compiled-in, typed) API: decoding works like
// decoding JSON into the Go struct (unknown fields dropped, wrong JSON types a
// 400), objects carry no generation unless the type tracks one, and updates
// may omit resourceVersion (AllowUnconditionalUpdate) unless the type says not.
import { applyDefaults } from './defaulting.ts';
import type { FieldError } from './field-errors.ts';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate, type NameValidator } from './metadata-validation.ts';
import { pruneObject } from './pruning.ts';
import { DecodeError, groupVersion, type RequestContext, type ResourceType } from './resource-types.ts';
import { additionalPropertiesSchema, isPlainObject, jsonTypeOf, type JSONSchemaProps } from './schema.ts';
import type { KubeObject } from './store.ts';
import { builtinTable, type TableConvertor } from './table.ts';

export interface BuiltinSpec {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  storageKey?: string;
  subresources?: string[];
  /** Top-level fields besides apiVersion/kind/metadata, as an OpenAPI schema. */
  schema: JSONSchemaProps;
  allowUnconditionalUpdate?: boolean;
  allowCreateOnUpdate?: boolean;
  returnsDeletedObject?: boolean;
  nameValidator?: NameValidator;
  /** Extra field selector labels (metadata.name and metadata.namespace are always there). */
  fields?: Record<string, (obj: KubeObject) => string>;
  table?: TableConvertor;
  /** Runs after unknown fields are dropped, like a v1 → internal conversion (e.g. Secret stringData). */
  convertIn?(obj: KubeObject): void;
  prepareForCreate?(obj: KubeObject, ctx: RequestContext): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;
  validate?(obj: KubeObject, ctx: RequestContext): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];
  pendingFinalizers?(obj: KubeObject): string[];
  beforeDelete?(obj: KubeObject): void;
  toStorage?(obj: KubeObject): KubeObject;
  fromStorage?(obj: KubeObject): KubeObject;
  /** False when the schema here is too thin for kubectl to compute strategic merge patches from it. */
  publishStrategicMergePatch?: boolean;
}

const GO_JSON_TYPE: Record<string, string> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'bool',
  array: 'array',
  object: 'object',
  null: 'null',
};

function goTypeOf(schema: JSONSchemaProps): string {
  if (schema['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  switch (schema.type) {
    case 'integer':
      return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${schema.items ? goTypeOf(schema.items) : 'interface {}'}`;
    case 'object': {
      const values = additionalPropertiesSchema(schema);
      return values ? `map[string]${goTypeOf(values)}` : 'struct';
    }
    default:
      return 'string';
  }
}

/** Rejects values whose JSON type cannot decode into the Go field, with encoding/json's wording. */
function checkJSONTypes(value: unknown, schema: JSONSchemaProps | undefined, path: string, fail: (msg: string) => never): void {
  if (!schema || value === null || value === undefined || schema['x-kubernetes-preserve-unknown-fields']) return;
  const actual = jsonTypeOf(value);
  const expected = schema['x-kubernetes-int-or-string'] ? undefined : schema.type;
  const ok =
    expected === undefined ||
    actual === expected ||
    (expected === 'number' && actual === 'integer') ||
    (expected === 'string' && schema.format === 'date-time' && actual === 'string');
  if (!ok) {
    fail(`json: cannot unmarshal ${GO_JSON_TYPE[actual] ?? actual} into Go struct field ${path} of type ${goTypeOf(schema)}`);
  }
  if (Array.isArray(value)) value.forEach((item) => checkJSONTypes(item, schema.items, path, fail));
  else if (isPlainObject(value)) {
    const values = additionalPropertiesSchema(schema);
    for (const [k, v] of Object.entries(value)) checkJSONTypes(v, schema.properties?.[k] ?? values, `${path}.${k}`, fail);
  }
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

/**
 * metav1.Time and metav1.MicroTime decoding: Time accepts any RFC 3339 value
 * and is written back in UTC with second precision; MicroTime insists on
 * exactly six fractional digits (Go's ".000000" layout), so a JavaScript
 * Date's toISOString() (three digits) is refused as the real server does.
 */
function normalizeTimes(value: unknown, schema: JSONSchemaProps | undefined, fail: (msg: string) => never): unknown {
  if (!schema || value === null || value === undefined) return value;
  if (typeof value === 'string' && schema.type === 'string' && schema.format === 'date-time') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
    const layout = schema['x-micro-time'] ? RFC3339_MICRO : RFC3339;
    if (!m || Number.isNaN(Date.parse(value))) fail(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as "2006"`);
    const [, whole, fraction = '', zone] = m as RegExpExecArray;
    if (schema['x-micro-time']) {
      if (fraction.length !== 7) fail(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(`${fraction}${zone}`)} as ".000000"`);
      const utc = new Date(`${whole}${zone}`).toISOString().slice(0, 19);
      return `${utc}${fraction}Z`;
    }
    return new Date(`${whole}${zone}`).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (Array.isArray(value)) return value.map((item) => normalizeTimes(item, schema.items, fail));
  if (isPlainObject(value)) {
    const values = additionalPropertiesSchema(schema);
    for (const [k, v] of Object.entries(value)) value[k] = normalizeTimes(v, schema.properties?.[k] ?? values, fail);
  }
  return value;
}

export function builtinResource(spec: BuiltinSpec): ResourceType {
  const apiVersion = groupVersion(spec.group, spec.version);
  const nameValidator = spec.nameValidator ?? nameIsDNSSubdomain;
  const fields = spec.fields ?? {};
  const table = spec.table ?? builtinTable([]);
  const fieldOrder = Object.keys(spec.schema.properties ?? {});
  const canonical = (obj: KubeObject): KubeObject => {
    const out: KubeObject = { kind: spec.kind, apiVersion, metadata: obj.metadata };
    for (const key of fieldOrder) if (obj[key] !== undefined) out[key] = obj[key];
    for (const key of Object.keys(obj)) if (!(key in out)) out[key] = obj[key];
    return out;
  };
  return {
    group: spec.group,
    versions: [spec.version],
    storageVersion: spec.version,
    plural: spec.plural,
    singular: spec.singular,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: spec.subresources ?? [],
    storageKey: spec.storageKey ?? `${spec.group || 'core'}/${spec.plural}`,
    custom: false,
    allowCreateOnUpdate: spec.allowCreateOnUpdate ?? false,
    allowUnconditionalUpdate: spec.allowUnconditionalUpdate ?? true,
    returnsDeletedObject: spec.returnsDeletedObject ?? false,
    fieldLabels: new Set(['metadata.name', ...(spec.namespaced ? ['metadata.namespace'] : []), ...Object.keys(fields)]),
    patchTypes: [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ],

    ...(spec.publishStrategicMergePatch === false
      ? { openAPIPatchTypes: ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'] }
      : {}),

    fieldsOf(obj) {
      const out: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
      if (spec.namespaced) out['metadata.namespace'] = obj.metadata?.namespace ?? '';
      for (const [label, get] of Object.entries(fields)) out[label] = get(obj);
      return out;
    },
    table: () => table,

    decode(obj, ctx) {
      const fail = (msg: string): never => {
        throw new DecodeError(msg);
      };
      for (const [key, propSchema] of Object.entries(spec.schema.properties ?? {})) {
        checkJSONTypes(obj[key], propSchema, `${spec.kind}.${key}`, fail);
      }
      const unknownFields = pruneObject(obj, spec.schema);
      for (const [key, propSchema] of Object.entries(spec.schema.properties ?? {})) {
        if (obj[key] !== undefined) obj[key] = normalizeTimes(obj[key], propSchema, fail);
      }
      spec.convertIn?.(obj);
      for (const [key, propSchema] of Object.entries(spec.schema.properties ?? {})) {
        if (obj[key] === undefined && propSchema.default !== undefined) obj[key] = structuredClone(propSchema.default);
        applyDefaults(obj[key], propSchema);
      }
      return { unknownFields };
    },

    toStorage(obj) {
      const typed = { ...obj, apiVersion, kind: spec.kind };
      return spec.toStorage ? spec.toStorage(typed) : typed;
    },
    fromStorage(obj) {
      const copy = structuredClone(obj);
      return canonical(spec.fromStorage ? spec.fromStorage(copy) : copy);
    },

    prepareForCreate(obj, ctx) {
      spec.prepareForCreate?.(obj, ctx);
    },
    prepareForUpdate(obj, old, ctx) {
      spec.prepareForUpdate?.(obj, old, ctx);
    },
    validate(obj, ctx) {
      return [...validateObjectMeta(obj, spec.namespaced, nameValidator), ...(spec.validate?.(obj, ctx) ?? [])];
    },
    validateUpdate(obj, old, ctx) {
      return [
        ...validateObjectMeta(obj, spec.namespaced, nameValidator),
        ...validateObjectMetaUpdate(obj, old),
        ...(spec.validateUpdate?.(obj, old, ctx) ?? spec.validate?.(obj, ctx) ?? []),
      ];
    },
    pendingFinalizers: (obj) => spec.pendingFinalizers?.(obj) ?? [...(obj.metadata?.finalizers ?? [])],
    beforeDelete: spec.beforeDelete,
    openAPISchema: () => ({
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        ...(spec.schema.properties ?? {}),
      },
    }),
  };
}
