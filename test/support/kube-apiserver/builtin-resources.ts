// The built-in resources the operator touches besides events (events.ts):
// namespaces, secrets, configmaps and coordination leases, each with its
// registry strategy's rules and messages.
import { builtinResource } from './builtin-resource.ts';
import { fieldErrors, keyPath, type FieldError } from './field-errors.ts';
import { nameIsDNSLabel } from './metadata-validation.ts';
import { DecodeError, type ResourceType } from './resource-types.ts';
import { deepEqual, type JSONSchemaProps } from './schema.ts';
import type { KubeObject } from './store.ts';
import { builtinTable } from './table.ts';

const MAX_SECRET_SIZE = 1024 * 1024;
const microTime: JSONSchemaProps = { type: 'string', format: 'date-time', 'x-micro-time': true };

const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: { type: 'string' } };
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** validation.IsConfigMapKey. */
function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        '[-._a-zA-Z0-9]+',
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Go's base64.StdEncoding.DecodeString error position for an invalid string, or -1. */
function invalidBase64At(value: string): number {
  const clean = value.replace(/[\r\n]/g, '');
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i] as string;
    if (/[A-Za-z0-9+/]/.test(ch)) continue;
    if (ch === '=' && i >= clean.length - 2 && clean.length % 4 === 0) continue;
    return i;
  }
  if (clean.length % 4 !== 0) return clean.length - (clean.length % 4);
  return -1;
}

function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}

function immutableWhenSet(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f] ?? null, old[f] ?? null)) errs.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export function namespaces(): ResourceType {
  return builtinResource({
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    nameValidator: nameIsDNSLabel,
    returnsDeletedObject: true,
    schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { finalizers: { type: 'array', items: { type: 'string' } } } },
        status: {
          type: 'object',
          properties: { phase: { type: 'string' }, conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        },
      },
    },
    fields: { 'status.phase': (obj) => obj.status?.phase ?? '' },
    table: builtinTable([
      { column: { name: 'Status', type: 'string', description: 'The status of the namespace' }, cell: (obj) => obj.status?.phase ?? '' },
    ]),
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
      const finalizers: string[] = obj.spec?.finalizers ?? [];
      obj.spec = { ...(obj.spec ?? {}), finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    },
    prepareForUpdate(obj, old, ctx) {
      if (ctx.subresource === 'status') obj.spec = structuredClone(old.spec);
      else if (ctx.subresource === 'finalize') obj.status = structuredClone(old.status);
      else {
        obj.spec = { ...(obj.spec ?? {}), finalizers: structuredClone(old.spec?.finalizers ?? []) };
        obj.status = structuredClone(old.status);
      }
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    },
    pendingFinalizers: (obj) => [...(obj.metadata?.finalizers ?? []), ...(obj.spec?.finalizers ?? [])],
    beforeDelete(obj) {
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    },
  });
}

/** ValidateSecret: keys, size, and the keys each well-known type requires. */
function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [key, value] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(keyPath('data', key), key, msg));
    total += decodedLength(value);
  }
  if (total > MAX_SECRET_SIZE) errs.push(fieldErrors.tooLong('data', '', MAX_SECRET_SIZE));
  const data = (obj.data ?? {}) as Record<string, string>;
  const has = (k: string) => Object.hasOwn(data, k);
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(fieldErrors.required(keyPath('metadata.annotations', 'kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      if (!has('.dockercfg')) errs.push(fieldErrors.required(keyPath('data', '.dockercfg')));
      break;
    case 'kubernetes.io/dockerconfigjson':
      if (!has('.dockerconfigjson')) errs.push(fieldErrors.required(keyPath('data', '.dockerconfigjson')));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errs.push(fieldErrors.required(keyPath('data', 'username')), fieldErrors.required(keyPath('data', 'password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(fieldErrors.required(keyPath('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(fieldErrors.required(keyPath('data', 'tls.crt')));
      if (!has('tls.key')) errs.push(fieldErrors.required(keyPath('data', 'tls.key')));
      break;
  }
  return errs;
}

export function secrets(): ResourceType {
  return builtinResource({
    group: '',
    version: 'v1',
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    schema: {
      type: 'object',
      properties: {
        immutable: { type: 'boolean' },
        data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
        stringData: stringMap,
        type: { type: 'string', default: 'Opaque' },
      },
    },
    fields: { type: (obj) => obj.type ?? '' },
    table: builtinTable([
      { column: { name: 'Type', type: 'string', description: 'The type of the secret' }, cell: (obj) => obj.type ?? '' },
      { column: { name: 'Data', type: 'string', description: 'The number of entries in the secret' }, cell: (obj) => Object.keys(obj.data ?? {}).length },
    ]),
    convertIn(obj) {
      // Data is []byte in Go: it must be base64. stringData is write-only sugar merged into data.
      for (const value of Object.values((obj.data ?? {}) as Record<string, unknown>)) {
        const at = typeof value === 'string' ? invalidBase64At(value) : -1;
        if (at >= 0) throw new DecodeError(`illegal base64 data at input byte ${at}`);
      }
      if (obj.stringData && typeof obj.stringData === 'object') {
        obj.data = { ...(obj.data ?? {}) };
        for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) {
          obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        }
      }
      delete obj.stringData;
    },
    validate: validateSecret,
    validateUpdate(obj, old) {
      const errs: FieldError[] = [];
      if ((obj.type ?? '') !== (old.type ?? '')) errs.push(fieldErrors.invalid('type', obj.type ?? '', 'field is immutable'));
      errs.push(...immutableWhenSet(obj, old, ['data']));
      // ValidateSecretUpdate ends by running the create rules again.
      return [...errs, ...validateSecret(obj)];
    },
  });
}

export function configMaps(): ResourceType {
  const validate = (obj: KubeObject): FieldError[] => {
    const errs: FieldError[] = [];
    let total = 0;
    const binary = (obj.binaryData ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
      for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(keyPath('data', key), key, msg));
      if (Object.hasOwn(binary, key)) errs.push(fieldErrors.invalid(keyPath('data', key), key, 'duplicate of key present in binaryData'));
      total += Buffer.byteLength(String(value));
    }
    for (const [key, value] of Object.entries(binary)) {
      for (const msg of isConfigMapKey(key)) errs.push(fieldErrors.invalid(keyPath('binaryData', key), key, msg));
      total += decodedLength(value);
    }
    if (total > MAX_SECRET_SIZE) errs.push(fieldErrors.tooLong('', '', MAX_SECRET_SIZE));
    return errs;
  };
  return builtinResource({
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    schema: {
      type: 'object',
      properties: {
        immutable: { type: 'boolean' },
        data: stringMap,
        binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
      },
    },
    table: builtinTable([
      {
        column: { name: 'Data', type: 'string', description: 'The number of entries in the ConfigMap' },
        cell: (obj) => Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length,
      },
    ]),
    convertIn(obj) {
      for (const value of Object.values((obj.binaryData ?? {}) as Record<string, unknown>)) {
        const at = typeof value === 'string' ? invalidBase64At(value) : -1;
        if (at >= 0) throw new DecodeError(`illegal base64 data at input byte ${at}`);
      }
    },
    validate,
    validateUpdate: (obj, old) => [...immutableWhenSet(obj, old, ['data', 'binaryData']), ...validate(obj)],
  });
}

export function leases(): ResourceType {
  const validate = (obj: KubeObject): FieldError[] => {
    const errs: FieldError[] = [];
    const spec = obj.spec ?? {};
    if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && spec.leaseDurationSeconds <= 0) {
      errs.push(fieldErrors.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
    }
    if (spec.leaseTransitions !== undefined && spec.leaseTransitions !== null && spec.leaseTransitions < 0) {
      errs.push(fieldErrors.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
    }
    return errs;
  };
  return builtinResource({
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
    schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            holderIdentity: { type: 'string' },
            leaseDurationSeconds: { type: 'integer', format: 'int32' },
            acquireTime: microTime,
            renewTime: microTime,
            leaseTransitions: { type: 'integer', format: 'int32' },
            strategy: { type: 'string' },
            preferredHolder: { type: 'string' },
          },
        },
      },
    },
    table: builtinTable([
      { column: { name: 'Holder', type: 'string', description: 'The holder of the lease' }, cell: (o) => o.spec?.holderIdentity ?? '' },
    ]),
    validate,
  });
}

