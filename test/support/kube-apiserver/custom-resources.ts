// Custom resources: the ResourceType a CustomResourceDefinition defines, with
// the apiextensions-apiserver strategy (customresource/strategy.go): status
// subresource isolation, generation bumps on non-metadata changes, pruning,
// defaulting, schema validation with ratcheting, list-type invariants and CEL.
import { validateCelRules } from './cel-validation.ts';
import { defaultObject } from './defaulting.ts';
import { fieldErrors, type FieldError } from './field-errors.ts';
import { finalizerWarnings, nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './metadata-validation.ts';
import { pruneObject, pruneRootNonNullableNulls } from './pruning.ts';
import { groupVersion, sortVersions, type RequestContext, type ResourceType } from './resource-types.ts';
import { deepEqual, isPlainObject, type JSONSchemaProps } from './schema.ts';
import { hasBlockingError, validateAgainstSchema, validateListTypes } from './schema-validation.ts';
import { evaluateJSONPath, parseJSONPath } from './jsonpath.ts';
import type { KubeObject } from './store.ts';
import { customResourceTable, type PrinterColumn, type TableConvertor } from './table.ts';

export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: Record<string, unknown> };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

export interface CustomResourceDefinitionNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CustomResourceDefinition {
  apiVersion: string;
  kind: string;
  metadata: KubeObject;
  spec: {
    group: string;
    names: CustomResourceDefinitionNames;
    scope: 'Namespaced' | 'Cluster';
    versions: CustomResourceDefinitionVersion[];
    conversion?: { strategy: string };
    preserveUnknownFields?: boolean;
  };
  status?: KubeObject;
}

export const CUSTOM_RESOURCE_PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
] as const;

function copyNonMetadata(obj: KubeObject): KubeObject {
  const { metadata: _metadata, ...rest } = obj;
  return rest;
}

/** Replaces the contents of `target` with a deep copy of `source`, keeping the reference. */
function overwrite(target: KubeObject, source: KubeObject): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, structuredClone(source));
}

function selectableFieldValue(obj: KubeObject, jsonPath: string): string | undefined {
  const results = evaluateJSONPath(parseJSONPath(jsonPath), obj);
  const value = results[0];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function customResourceType(crd: CustomResourceDefinition): ResourceType {
  const { group, names, scope } = crd.spec;
  const namespaced = scope === 'Namespaced';
  const served = crd.spec.versions.filter((v) => v.served);
  const versionNames = sortVersions(served.map((v) => v.name));
  const storageVersion = crd.spec.versions.find((v) => v.storage)?.name ?? versionNames[0] ?? 'v1';
  const byName = new Map(crd.spec.versions.map((v) => [v.name, v]));
  const schemaFor = (version: string): JSONSchemaProps | undefined => byName.get(version)?.schema?.openAPIV3Schema;
  const hasStatus = (version: string): boolean => byName.get(version)?.subresources?.status !== undefined;
  const selectable = (version: string) => (byName.get(version)?.selectableFields ?? []).map((f) => f.jsonPath);
  const tables = new Map<string, TableConvertor>();
  const withRules = new Set(
    crd.spec.versions.filter((v) => JSON.stringify(v.schema ?? {}).includes('"x-kubernetes-validations"')).map((v) => v.name),
  );
  const hasRules = (version: string): boolean => withRules.has(version);
  const fieldLabels = new Set<string>(['metadata.name', ...(namespaced ? ['metadata.namespace'] : [])]);
  for (const v of crd.spec.versions) for (const f of v.selectableFields ?? []) fieldLabels.add(f.jsonPath.replace(/^\./, ''));

  const validateCommon = (obj: KubeObject, ctx: RequestContext, errors: FieldError[], old?: KubeObject) => {
    const schema = schemaFor(ctx.version);
    errors.push(...validateAgainstSchema(obj, schema, old));
    const listTypeErrors = validateListTypes(copyNonMetadata(obj), schema);
    if (!old || validateListTypes(copyNonMetadata(old), schema).length === 0) errors.push(...listTypeErrors);
    if (!hasRules(ctx.version)) return;
    if (hasBlockingError(errors)) {
      errors.push(
        fieldErrors.invalid(
          null,
          null,
          'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
        ),
      );
      return;
    }
    const outcome = validateCelRules(obj, schema, old);
    errors.push(...outcome.errors);
    ctx.warnings.push(...outcome.warnings);
  };

  const rt: ResourceType = {
    group,
    versions: versionNames,
    storageVersion,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    namespaced,
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: crd.spec.versions.some((v) => v.subresources?.status !== undefined) ? ['status'] : [],
    storageKey: `${group}/${names.plural}`,
    custom: true,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    returnsDeletedObject: false,
    fieldLabels,
    patchTypes: CUSTOM_RESOURCE_PATCH_TYPES,

    fieldsOf(obj) {
      const fields: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
      if (namespaced) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
      const version = String(obj.apiVersion ?? '').split('/')[1] ?? storageVersion;
      for (const path of selectable(version)) {
        const value = selectableFieldValue(obj, path);
        if (value !== undefined) fields[path.replace(/^\./, '')] = value;
      }
      return fields;
    },

    table(version) {
      let table = tables.get(version);
      if (!table) {
        table = customResourceTable(byName.get(version)?.additionalPrinterColumns);
        tables.set(version, table);
      }
      return table;
    },

    decode(obj, ctx) {
      const schema = schemaFor(ctx.version);
      if (crd.spec.preserveUnknownFields) return { unknownFields: [] };
      const unknownFields = pruneObject(obj, schema);
      pruneRootNonNullableNulls(obj, schema);
      defaultObject(obj, schema);
      return { unknownFields };
    },

    toStorage(obj) {
      return { ...obj, apiVersion: groupVersion(group, storageVersion) };
    },

    fromStorage(obj, version) {
      const out = structuredClone(obj);
      out.apiVersion = groupVersion(group, version);
      defaultObject(out, schemaFor(version));
      return out;
    },

    prepareForCreate(obj, ctx) {
      if (hasStatus(ctx.version)) delete obj.status;
      obj.metadata.generation = 1;
    },

    prepareForUpdate(obj, old, ctx) {
      if (ctx.subresource === 'status') {
        // Status updates may only change status: everything else comes from the stored object.
        const hasNewStatus = Object.hasOwn(obj, 'status');
        const status = obj.status;
        const managedFields = obj.metadata?.managedFields;
        overwrite(obj, old);
        if (managedFields !== undefined) obj.metadata.managedFields = managedFields;
        if (hasNewStatus) obj.status = status;
        else delete obj.status;
        return;
      }
      if (hasStatus(ctx.version)) {
        if (Object.hasOwn(old, 'status')) obj.status = structuredClone(old.status);
        else delete obj.status;
      }
      if (!deepEqual(copyNonMetadata(obj), copyNonMetadata(old))) {
        obj.metadata.generation = (old.metadata?.generation ?? 0) + 1;
      }
    },

    validate(obj, ctx) {
      const errors: FieldError[] = [...validateObjectMeta(obj, namespaced, nameIsDNSSubdomain)];
      validateCommon(obj, ctx, errors);
      ctx.warnings.push(...finalizerWarnings(obj));
      return errors;
    },

    validateUpdate(obj, old, ctx) {
      const errors: FieldError[] = [...validateObjectMeta(obj, namespaced, nameIsDNSSubdomain), ...validateObjectMetaUpdate(obj, old)];
      validateCommon(obj, ctx, errors, old);
      ctx.warnings.push(...finalizerWarnings(obj, old));
      return errors;
    },

    pendingFinalizers: (obj) => [...(obj.metadata?.finalizers ?? [])],
    openAPISchema: (version) => schemaFor(version) as Record<string, unknown> | undefined,
  };
  return rt;
}

export function isCustomResourceDefinition(obj: unknown): obj is CustomResourceDefinition {
  return isPlainObject(obj) && obj.kind === 'CustomResourceDefinition' && isPlainObject(obj.spec);
}
