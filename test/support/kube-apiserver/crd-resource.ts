// apiextensions.k8s.io/v1 CustomResourceDefinitions as a resource: defaulting,
// the validation that matters for a usable CRD (names, scope, versions,
// structural schema roots, CEL rules that compile, printer column paths), and
// the status the apiextensions controllers would write (NamesAccepted,
// Established, acceptedNames, storedVersions). Deleting a CRD adds the
// customresourcecleanup finalizer; lifecycle.ts then removes its objects.
import { builtinResource } from './builtin-resource.ts';
import { ruleCompileErrors } from './cel-validation.ts';
import type { CustomResourceDefinition } from './custom-resources.ts';
import { fieldErrors, GoLiteral, type FieldError } from './field-errors.ts';
import { parseJSONPath } from './jsonpath.ts';
import { isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain, validateObjectMeta } from './metadata-validation.ts';
import type { ResourceType } from './resource-types.ts';
import { deepEqual, type JSONSchemaProps } from './schema.ts';
import type { KubeObject } from './store.ts';
import { defaultTable } from './table.ts';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function setCondition(obj: KubeObject, condition: { type: string; status: string; reason: string; message: string }): void {
  obj.status ??= {};
  const conditions: KubeObject[] = obj.status.conditions ?? [];
  const existing = conditions.find((c) => c.type === condition.type);
  if (existing) {
    if (existing.status !== condition.status) existing.lastTransitionTime = now();
    existing.status = condition.status;
    existing.reason = condition.reason;
    existing.message = condition.message;
  } else {
    conditions.push({ type: condition.type, status: condition.status, lastTransitionTime: now(), reason: condition.reason, message: condition.message });
  }
  obj.status.conditions = conditions;
}

export function setCRDTerminating(obj: KubeObject, reason: string, message: string): void {
  setCondition(obj, { type: 'Terminating', status: 'True', reason, message });
}

function acceptedNames(crd: KubeObject): KubeObject {
  const names = crd.spec?.names ?? {};
  const out: KubeObject = { plural: names.plural, singular: names.singular, kind: names.kind, listKind: names.listKind };
  if (names.shortNames?.length) out.shortNames = names.shortNames;
  if (names.categories?.length) out.categories = names.categories;
  return out;
}

function storageVersionOf(crd: KubeObject): string | undefined {
  return (crd.spec?.versions ?? []).find((v: KubeObject) => v.storage)?.name;
}

const KIND_RE = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

function validateStructural(schema: JSONSchemaProps, path: string, atRoot: boolean, errs: FieldError[]): void {
  const untyped = !schema.type && !schema['x-kubernetes-int-or-string'] && !schema['x-kubernetes-preserve-unknown-fields'];
  if (atRoot) {
    if (!schema.type) errs.push(fieldErrors.required(`${path}.type`, 'must not be empty at the root'));
    else if (schema.type !== 'object') errs.push(fieldErrors.invalid(`${path}.type`, schema.type, 'must be object at the root'));
  } else if (untyped) {
    errs.push(fieldErrors.required(`${path}.type`, 'must not be empty for specified object fields'));
  }
  for (const [k, v] of Object.entries(schema.properties ?? {})) validateStructural(v, `${path}.properties[${k}]`, false, errs);
  if (schema.items) validateStructural(schema.items, `${path}.items`, false, errs);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    validateStructural(schema.additionalProperties, `${path}.additionalProperties`, false, errs);
  }
}

function validateCRD(obj: KubeObject): FieldError[] {
  const crd = obj as CustomResourceDefinition;
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const names = spec.names ?? ({} as CustomResourceDefinition['spec']['names']);
  const required = `${names.plural ?? ''}.${spec.group ?? ''}`;
  const errs: FieldError[] = validateObjectMeta(obj, false, (name, prefix) => {
    const msgs = nameIsDNSSubdomain(name, prefix);
    if (!prefix && name !== required) msgs.push('must be spec.names.plural+"."+spec.group');
    return msgs;
  });
  if (!spec.group) errs.push(fieldErrors.required('spec.group'));
  else {
    for (const msg of isDNS1123Subdomain(spec.group)) errs.push(fieldErrors.invalid('spec.group', spec.group, msg));
    if (!spec.group.includes('.')) errs.push(fieldErrors.invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(fieldErrors.required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') {
    errs.push(fieldErrors.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  }
  if (!names.plural) errs.push(fieldErrors.required('spec.names.plural'));
  else for (const msg of isDNS1123Label(names.plural)) errs.push(fieldErrors.invalid('spec.names.plural', names.plural, msg));
  if (names.singular) for (const msg of isDNS1123Label(names.singular)) errs.push(fieldErrors.invalid('spec.names.singular', names.singular, msg));
  if (!names.kind) errs.push(fieldErrors.required('spec.names.kind'));
  else if (!KIND_RE.test(names.kind)) {
    errs.push(fieldErrors.invalid('spec.names.kind', names.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  }
  const versions = spec.versions ?? [];
  if (versions.filter((v) => v.storage).length !== 1) {
    errs.push(fieldErrors.invalid('spec.versions', new GoLiteral('[]apiextensions.CustomResourceDefinitionVersion{...}'), 'must have exactly one version marked as storage version'));
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const path = `spec.versions[${i}]`;
    if (!v.name) errs.push(fieldErrors.required(`${path}.name`));
    else {
      for (const msg of isDNS1123Label(v.name)) errs.push(fieldErrors.invalid(`${path}.name`, v.name, msg));
      if (seen.has(v.name)) errs.push(fieldErrors.invalid('spec.versions', v.name, 'must contain unique version names'));
      seen.add(v.name);
    }
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) errs.push(fieldErrors.required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    else {
      validateStructural(schema, `${path}.schema.openAPIV3Schema`, true, errs);
      errs.push(...ruleCompileErrors(schema, `${path}.schema.openAPIV3Schema`));
    }
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const colPath = `${path}.additionalPrinterColumns[${j}]`;
      if (!c.name) errs.push(fieldErrors.required(`${colPath}.name`));
      if (!['integer', 'number', 'string', 'boolean', 'date'].includes(c.type)) {
        errs.push(fieldErrors.notSupported(`${colPath}.type`, c.type, ['integer', 'number', 'string', 'boolean', 'date']));
      }
      try {
        parseJSONPath(c.jsonPath ?? '');
      } catch {
        errs.push(fieldErrors.invalid(`${colPath}.jsonPath`, c.jsonPath, 'must be a simple json path'));
      }
    });
  });
  if (versions.length === 0) errs.push(fieldErrors.invalid('spec.versions', new GoLiteral('[]apiextensions.CustomResourceDefinitionVersion(nil)'), 'must have exactly one version marked as storage version'));
  return errs;
}

export function customResourceDefinitions(): ResourceType {
  return builtinResource({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
    allowUnconditionalUpdate: false,
    // The spec is kept opaque here, so kubectl must fall back to a JSON merge patch for CRDs.
    publishStrategicMergePatch: false,
    schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    table: defaultTable(),
    convertIn(obj) {
      const names = obj.spec?.names;
      if (names && names.kind) {
        names.singular ||= String(names.kind).toLowerCase();
        names.listKind ||= `${names.kind}List`;
      }
      if (obj.spec && !obj.spec.conversion) obj.spec.conversion = { strategy: 'None' };
    },
    prepareForCreate(obj) {
      obj.metadata.generation = 1;
      // The apiextensions controllers accept the names and establish the API right away.
      obj.status = { acceptedNames: acceptedNames(obj), conditions: [], storedVersions: [storageVersionOf(obj)].filter(Boolean) };
      setCondition(obj, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
      setCondition(obj, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
    },
    prepareForUpdate(obj, old, ctx) {
      if (ctx.subresource === 'status') {
        const status = obj.status;
        for (const key of Object.keys(obj)) delete obj[key];
        Object.assign(obj, structuredClone(old), { status });
        return;
      }
      obj.status = structuredClone(old.status ?? {});
      obj.metadata.generation = old.metadata?.generation ?? 1;
      if (!deepEqual(obj.spec, old.spec)) {
        obj.metadata.generation++;
        obj.status.acceptedNames = acceptedNames(obj);
        const storage = storageVersionOf(obj);
        const stored: string[] = obj.status.storedVersions ?? [];
        if (storage && !stored.includes(storage)) obj.status.storedVersions = [...stored, storage];
      }
    },
    validate: validateCRD,
    validateUpdate(obj, old) {
      const errs = validateCRD(obj);
      if (obj.spec?.group !== old.spec?.group) errs.push(fieldErrors.invalid('spec.group', obj.spec?.group ?? '', 'field is immutable'));
      if (obj.spec?.scope !== old.spec?.scope) errs.push(fieldErrors.invalid('spec.scope', obj.spec?.scope ?? '', 'field is immutable'));
      return errs;
    },
    beforeDelete(obj) {
      if (!obj.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = now();
      const finalizers: string[] = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) obj.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
      setCRDTerminating(obj, 'InstanceDeletionPending', 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon');
    },
  });
}
