// ObjectMeta validation (apimachinery/pkg/api/validation/objectmeta.go) with the
// server's messages: names, labels, annotations, finalizers, owner references,
// and the update rules (immutable identity fields, no new finalizers while deleting).
import { childPath, fieldErrors, GoLiteral, type FieldError } from './field-errors.ts';
import type { KubeObject } from './store.ts';

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number) => `must be no more than ${n} characters`;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errs;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL_FMT,
        'my-name',
        '123-abc',
      ),
    );
  }
  return errs;
}

export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] as string;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

/** A name validator: `prefix` is true when validating generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[];

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels || typeof labels !== 'object') return errs;
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const msg of isQualifiedName(k)) errs.push(fieldErrors.invalid(path, k, msg));
    for (const msg of isValidLabelValue(String(v ?? ''))) errs.push(fieldErrors.invalid(path, v, msg));
  }
  return errs;
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations || typeof annotations !== 'object') return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path, k, msg));
    total += k.length + String(v ?? '').length;
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fieldErrors.tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) {
    for (const msg of isQualifiedName(String(f))) errs.push(fieldErrors.invalid(path, f, msg));
  }
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(fieldErrors.invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(refs)) return errs;
  let controllers = 0;
  for (const ref of refs as Record<string, unknown>[]) {
    const apiVersion = String(ref.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) errs.push(fieldErrors.invalid(childPath(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(childPath(path, 'kind'), String(ref.kind ?? ''), 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(childPath(path, 'name'), String(ref.name ?? ''), 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(childPath(path, 'uid'), String(ref.uid ?? ''), 'uid must not be empty'));
    if (ref.controller === true) controllers++;
  }
  if (controllers > 1) {
    errs.push(fieldErrors.invalid(path, refs, 'Only one reference can have Controller set to true.'));
  }
  return errs;
}

/** genericvalidation.ValidateObjectMetaAccessor. */
export function validateObjectMeta(obj: KubeObject, namespaced: boolean, nameFn: NameValidator): FieldError[] {
  const meta = (obj.metadata ?? {}) as KubeObject;
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of nameFn(meta.generateName, true)) {
      errs.push(fieldErrors.invalid('metadata.generateName', meta.generateName, msg));
    }
  }
  if (!meta.name) {
    errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name, false)) errs.push(fieldErrors.invalid('metadata.name', meta.name, msg));
  }
  if (namespaced) {
    if (!meta.namespace) errs.push(fieldErrors.required('metadata.namespace'));
    else for (const msg of isDNS1123Label(meta.namespace)) errs.push(fieldErrors.invalid('metadata.namespace', meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(fieldErrors.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(fieldErrors.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/** metav1.Time's String(): Go's time.Time default format. */
function goTimeString(rfc3339: string): GoLiteral {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return new GoLiteral(rfc3339);
  const iso = d.toISOString();
  return new GoLiteral(`${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`);
}

function immutable(path: string, newValue: unknown, oldValue: unknown, display: (v: unknown) => unknown = (v) => v) {
  if (JSON.stringify(newValue ?? null) === JSON.stringify(oldValue ?? null)) return [];
  return [fieldErrors.invalid(path, newValue === undefined ? null : display(newValue), 'field is immutable')];
}

/** genericvalidation.ValidateObjectMetaAccessorUpdate. */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const meta = (obj.metadata ?? {}) as KubeObject;
  const oldMeta = (old.metadata ?? {}) as KubeObject;
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const before = new Set<string>(oldMeta.finalizers ?? []);
    const added = [...new Set<string>(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (added.length > 0) {
      errs.push(
        fieldErrors.forbidden(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if (!meta.resourceVersion) {
    errs.push(fieldErrors.invalid('metadata.resourceVersion', '', 'must be specified for an update'));
  }
  if ((meta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(fieldErrors.invalid('metadata.generation', meta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...immutable('metadata.name', meta.name, oldMeta.name));
  errs.push(...immutable('metadata.namespace', meta.namespace, oldMeta.namespace));
  errs.push(...immutable('metadata.uid', meta.uid, oldMeta.uid));
  errs.push(
    ...immutable('metadata.creationTimestamp', meta.creationTimestamp, oldMeta.creationTimestamp, (v) =>
      goTimeString(String(v)),
    ),
  );
  errs.push(
    ...immutable('metadata.deletionTimestamp', meta.deletionTimestamp, oldMeta.deletionTimestamp, (v) =>
      goTimeString(String(v)),
    ),
  );
  errs.push(
    ...immutable('metadata.deletionGracePeriodSeconds', meta.deletionGracePeriodSeconds, oldMeta.deletionGracePeriodSeconds),
  );
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  return errs;
}

/** Warnings the CR strategy returns for finalizer names that are not domain-qualified. */
export function finalizerWarnings(obj: KubeObject, old?: KubeObject): string[] {
  const before = new Set<string>(old?.metadata?.finalizers ?? []);
  const added = [...new Set<string>(obj.metadata?.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  const standard = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
  return added
    .filter((f) => !f.includes('/') && !standard.has(f))
    .map(
      (f) =>
        `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`,
    );
}

