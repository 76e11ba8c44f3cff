// The generic REST semantics every resource shares, following
// k8s.io/apiserver/pkg/registry/generic/registry/store.go and the endpoint
// handlers: create (namespace admission, system fields, validation,
// AlreadyExists), update (optimistic concurrency, status isolation, no-op
// detection, delete-on-emptied-finalizers), patch, delete (preconditions,
// finalizers, deletionTimestamp), list with selectors and pagination.
import { randomUUID } from 'node:crypto';
import { GoLiteral, fieldErrors } from './field-errors.ts';
import { IMMORTAL_NAMESPACES } from './builtin-resources.ts';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, applyJSONPatch, applyMergePatch, stripStrategicDirectives } from './patch.ts';
import { DecodeError, groupVersion, type FieldValidation, type RequestContext, type ResourceRegistry, type ResourceType } from './resource-types.ts';
import { deepEqual, isPlainObject, OBJECT_META_FIELDS } from './schema.ts';
import { checkFieldLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  successStatus,
  unknownError,
  unsupportedMediaType,
  type Status,
} from './status.ts';
import type { KubeObject, ObjectStore } from './store.ts';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  subresource?: string;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  /** True when an update created the object (create-on-update types) – answered with 201. */
  created?: boolean;
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  dryRun?: string[];
}

export interface DeleteResult {
  /** What the response body is: the object (still terminating, or returned by types that do) or a Status. */
  body: KubeObject | Status;
  code: number;
  deleted: boolean;
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continue?: string | null;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const NAMESPACES_GR = { group: '', resource: 'namespaces' };

/** RFC 3339 with second precision, like metav1.Time. */
export function timestampNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return `${prefix.slice(0, 63 - 5)}${suffix}`;
}

function groupResource(rt: ResourceType) {
  return { group: rt.group, resource: rt.plural };
}

function groupKind(rt: ResourceType) {
  return { group: rt.group, kind: rt.kind };
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]);
  return out;
}

const META_ORDER = [...OBJECT_META_FIELDS];

/** Serialization order: unstructured objects have sorted keys; typed ones follow the Go struct. */
export function present(rt: ResourceType, obj: KubeObject): KubeObject {
  if (rt.custom) return sortKeysDeep(obj) as KubeObject;
  if (!isPlainObject(obj.metadata)) return obj;
  const meta: KubeObject = {};
  for (const key of META_ORDER) if (obj.metadata[key] !== undefined) meta[key] = obj.metadata[key];
  return { ...obj, metadata: meta };
}

export class ObjectService {
  private readonly store: ObjectStore;
  private readonly registry: ResourceRegistry;

  constructor(store: ObjectStore, registry: ResourceRegistry) {
    this.store = store;
    this.registry = registry;
  }

  private context(version: string, opts: WriteOptions): RequestContext {
    return { version, subresource: opts.subresource, fieldValidation: opts.fieldValidation ?? 'Warn', warnings: [] };
  }

  /**
   * The request body as an object of this resource, as the decoder would
   * produce it. Decode failures read differently on the patch path
   * (patch.go wraps them) than on create/update (transformDecodeError).
   */
  private decodeBody(rt: ResourceType, version: string, body: unknown, ctx: RequestContext, viaPatch = false): KubeObject {
    const decodeFailure = (inner: string): ApiError =>
      viaPatch
        ? invalid({ group: '', kind: '' }, '', [fieldErrors.invalid('patch', JSON.stringify(body), inner)])
        : badRequest(`${rt.kind} in version "${version}" cannot be handled as a ${rt.kind}: ${inner}`);
    if (!isPlainObject(body)) {
      throw decodeFailure(`json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type map[string]interface {}`);
    }
    const obj = structuredClone(body) as KubeObject;
    const expected = groupVersion(rt.group, version);
    if (rt.custom && !obj.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (rt.custom && obj.kind !== rt.kind) {
      throw invalid(groupKind(rt), String(obj.metadata?.name ?? ''), [fieldErrors.invalid('kind', obj.kind, `must be ${rt.kind}`)]);
    }
    if (!rt.custom && obj.kind !== undefined && obj.kind !== rt.kind) {
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${rt.kind})`);
    }
    obj.apiVersion = expected;
    obj.kind = rt.kind;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (!isPlainObject(obj.metadata)) {
      throw decodeFailure(`json: cannot unmarshal ${typeof obj.metadata} into Go struct field ${rt.kind}.metadata of type v1.ObjectMeta`);
    }
    let unknownFields: string[];
    try {
      ({ unknownFields } = rt.decode(obj, ctx));
    } catch (err) {
      if (err instanceof DecodeError) throw decodeFailure(err.message);
      throw err;
    }
    delete obj.metadata.managedFields;
    delete obj.metadata.selfLink;
    if (unknownFields.length > 0) {
      const texts = unknownFields.map((p) => `unknown field ${JSON.stringify(p)}`);
      if (ctx.fieldValidation === 'Strict') {
        const strict = `strict decoding error: ${texts.join(', ')}`;
        throw viaPatch ? badRequest(strict) : badRequest(`${rt.kind} in version "${version}" cannot be handled as a ${rt.kind}: ${strict}`);
      }
      if (ctx.fieldValidation === 'Warn') ctx.warnings.push(...texts);
    }
    return obj;
  }

  /** NamespaceLifecycle admission: no content in missing or terminating namespaces. */
  private admitNamespace(rt: ResourceType, namespace: string, name: string): void {
    if (!rt.namespaced) return;
    const ns = this.store.get('core/namespaces', undefined, namespace);
    if (!ns) throw notFound(NAMESPACES_GR, namespace);
    if (ns.metadata?.deletionTimestamp) {
      throw forbidden(groupResource(rt), name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  private fromStorage(rt: ResourceType, obj: KubeObject, version: string): KubeObject {
    return rt.fromStorage(obj, version);
  }

  get(rt: ResourceType, version: string, namespace: string | undefined, name: string): KubeObject {
    const stored = this.store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name);
    if (!stored) throw notFound(groupResource(rt), name);
    return this.fromStorage(rt, stored, version);
  }

  list(rt: ResourceType, version: string, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector);
    checkFieldLabels(fields, rt.fieldLabels);
    const resourceVersion = String(this.store.resourceVersion);
    let start = '';
    if (opts.continue) {
      try {
        const token = JSON.parse(Buffer.from(opts.continue, 'base64url').toString('utf8')) as { start?: string };
        start = String(token.start ?? '');
      } catch {
        throw badRequest('continue key is not valid: illegal base64 data');
      }
    }
    const all = this.store
      .list(rt.storageKey, rt.namespaced ? namespace : undefined)
      .map((o) => this.fromStorage(rt, o, version))
      .filter((o) => labels.matches(o.metadata?.labels) && fields.matches(rt.fieldsOf(o)));
    const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    const remaining = start ? all.filter((o) => keyOf(o) > start) : all;
    if (!opts.limit || opts.limit <= 0 || remaining.length <= opts.limit) return { items: remaining, resourceVersion };
    const page = remaining.slice(0, opts.limit);
    const last = page[page.length - 1] as KubeObject;
    const token = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start: `${keyOf(last)}\u0000` })).toString('base64url');
    const result: ListResult = { items: page, resourceVersion, continue: token };
    if (labels.empty && fields.requirements.length === 0) result.remainingItemCount = remaining.length - page.length;
    return result;
  }

  create(rt: ResourceType, version: string, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): WriteResult {
    const ctx = this.context(version, opts);
    const obj = this.decodeBody(rt, version, body, ctx);
    return this.createDecoded(rt, version, namespace, obj, ctx, opts);
  }

  private createDecoded(
    rt: ResourceType,
    version: string,
    namespace: string | undefined,
    obj: KubeObject,
    ctx: RequestContext,
    opts: WriteOptions,
  ): WriteResult {
    const meta = obj.metadata as KubeObject;
    if (rt.namespaced) {
      if (!meta.namespace) meta.namespace = namespace;
      else if (meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = generatedName(String(meta.generateName));
    this.admitNamespace(rt, String(meta.namespace ?? ''), String(meta.name ?? ''));

    const requestedResourceVersion = meta.resourceVersion;
    meta.uid = randomUUID();
    meta.creationTimestamp = timestampNow();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.generation;
    delete meta.resourceVersion;
    rt.prepareForCreate(obj, ctx);

    const errors = rt.validate(obj, ctx);
    if (errors.length > 0) throw invalid(groupKind(rt), String(meta.name ?? ''), errors);
    if (requestedResourceVersion) throw unknownError(500, 'resourceVersion should not be set on objects to be created');

    const existing = this.store.get(rt.storageKey, meta.namespace, meta.name);
    if (existing) throw alreadyExists(groupResource(rt), meta.name, !!existing.metadata?.deletionTimestamp);
    if (opts.dryRun) return { object: obj, warnings: ctx.warnings };
    const stored = this.store.create(rt.storageKey, rt.toStorage(obj, version));
    return { object: this.fromStorage(rt, stored, version), warnings: ctx.warnings };
  }

  update(
    rt: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): WriteResult {
    const ctx = this.context(version, opts);
    const obj = this.decodeBody(rt, version, body, ctx);
    return this.updateDecoded(rt, version, namespace, name, obj, ctx, opts);
  }

  private updateDecoded(
    rt: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    obj: KubeObject,
    ctx: RequestContext,
    opts: WriteOptions,
  ): WriteResult {
    const meta = obj.metadata as KubeObject;
    const objName = String(meta.name ?? '');
    if (objName !== name) throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
    if (rt.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest(`the namespace of the object (${meta.namespace}) does not match the namespace on the request (${namespace})`);
      }
      meta.namespace = namespace;
    } else delete meta.namespace;

    const existing = this.store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name);
    if (!existing) {
      if (!rt.allowCreateOnUpdate || opts.subresource) throw notFound(groupResource(rt), name);
      delete meta.resourceVersion;
      return { ...this.createDecoded(rt, version, namespace, obj, ctx, opts), created: true };
    }
    const old = this.fromStorage(rt, existing, version);

    if (!meta.resourceVersion) {
      if (!rt.allowUnconditionalUpdate) {
        throw invalid({ group: rt.group, kind: rt.plural }, name, [
          fieldErrors.invalid('metadata.resourceVersion', new GoLiteral('0x0'), 'must be specified for an update'),
        ]);
      }
      meta.resourceVersion = existing.metadata.resourceVersion;
    } else if (String(meta.resourceVersion) !== existing.metadata.resourceVersion) {
      throw conflict(groupResource(rt), name, OPTIMISTIC_LOCK_MESSAGE);
    }

    // rest.BeforeUpdate: clients cannot change generation or the system fields.
    if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
    else delete meta.generation;
    rt.prepareForUpdate(obj, old, ctx);
    const newMeta = obj.metadata as KubeObject;
    if (!newMeta.uid) newMeta.uid = old.metadata.uid;
    if (old.metadata.creationTimestamp) newMeta.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) newMeta.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined && newMeta.deletionGracePeriodSeconds === undefined) {
      newMeta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    }

    const errors = rt.validateUpdate(obj, old, ctx);
    if (errors.length > 0) throw invalid(groupKind(rt), name, errors);

    // ShouldDeleteDuringUpdate: the last finalizer is gone from an object being deleted.
    const oldGrace = old.metadata.deletionGracePeriodSeconds;
    if (old.metadata.deletionTimestamp && rt.pendingFinalizers(obj).length === 0 && (oldGrace === undefined || oldGrace === 0)) {
      if (!opts.dryRun) this.store.remove(rt.storageKey, newMeta.namespace, name);
      return { object: obj, warnings: ctx.warnings };
    }

    const candidate = rt.toStorage(obj, version);
    candidate.metadata = { ...candidate.metadata, resourceVersion: existing.metadata.resourceVersion };
    if (deepEqual(candidate, existing) || opts.dryRun) {
      // etcd3 GuaranteedUpdate skips writes that change nothing: no new resourceVersion, no watch event.
      return { object: opts.dryRun ? obj : old, warnings: ctx.warnings };
    }
    const stored = this.store.update(rt.storageKey, candidate);
    return { object: this.fromStorage(rt, stored, version), warnings: ctx.warnings };
  }

  patch(
    rt: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patchBody: unknown,
    opts: WriteOptions = {},
  ): WriteResult {
    const supported = rt.patchTypes.filter((t) => t !== APPLY_PATCH);
    if (contentType === APPLY_PATCH || !rt.patchTypes.includes(contentType)) {
      throw unsupportedMediaType(contentType === APPLY_PATCH ? supported : rt.patchTypes);
    }
    const existing = this.store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name);
    if (!existing) throw notFound(groupResource(rt), name);
    const current = this.fromStorage(rt, existing, version);
    let patched: unknown;
    if (contentType === JSON_PATCH) patched = applyJSONPatch(current, patchBody);
    else if (contentType === MERGE_PATCH) {
      if (!isPlainObject(patchBody)) throw badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      patched = applyMergePatch(current, patchBody);
    } else if (contentType === STRATEGIC_MERGE_PATCH) {
      patched = applyMergePatch(current, stripStrategicDirectives(patchBody));
    }
    const ctx = this.context(version, opts);
    const obj = this.decodeBody(rt, version, patched, ctx, true);
    return this.updateDecoded(rt, version, namespace, name, obj, ctx, opts);
  }

  delete(
    rt: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
    opts: WriteOptions = {},
  ): DeleteResult {
    const existing = this.store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name);
    if (!existing) throw notFound(groupResource(rt), name);
    if (rt.storageKey === 'core/namespaces' && IMMORTAL_NAMESPACES.has(name)) {
      throw forbidden(groupResource(rt), name, 'this namespace may not be deleted');
    }
    const policy = options.propagationPolicy;
    if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
        fieldErrors.notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan']),
      ]);
    }
    const obj = this.fromStorage(rt, existing, version);
    const meta = obj.metadata as KubeObject;
    // rest.BeforeDelete checks preconditions against the kind, not the resource.
    const preconditionTarget = { group: rt.group, resource: rt.kind };
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== null && pre.uid !== meta.uid) {
      throw conflict(
        preconditionTarget,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== null && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        preconditionTarget,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion}). The object might have been modified`,
      );
    }

    // deletionFinalizersForGarbageCollection: the policy decides the GC finalizers.
    const orphan = options.orphanDependents ?? (policy === 'Orphan' ? true : policy ? false : undefined);
    const foreground = options.orphanDependents === undefined && policy === 'Foreground';
    if (orphan !== undefined || policy !== undefined) {
      const finalizers = ((meta.finalizers ?? []) as string[]).filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
      if (orphan) finalizers.push('orphan');
      if (foreground) finalizers.push('foregroundDeletion');
      if (finalizers.length > 0 || meta.finalizers) meta.finalizers = finalizers;
      if (finalizers.length === 0) delete meta.finalizers;
    }
    rt.beforeDelete?.(obj);

    const code = options.orphanDependents === false ? 202 : 200;
    if (rt.pendingFinalizers(obj).length > 0) {
      // markAsDeleting: objects with finalizers stay, marked for deletion.
      if (!meta.deletionTimestamp) {
        if (typeof meta.generation === 'number' && meta.generation > 0) meta.generation++;
        meta.deletionTimestamp = timestampNow();
        meta.deletionGracePeriodSeconds = 0;
      } else if (meta.deletionGracePeriodSeconds === undefined && rt.storageKey !== 'apiextensions.k8s.io/customresourcedefinitions') {
        meta.deletionGracePeriodSeconds = 0;
      }
      const candidate = rt.toStorage(obj, version);
      if (deepEqual(candidate, existing) || opts.dryRun) return { body: obj, code, deleted: false };
      const stored = this.store.update(rt.storageKey, candidate);
      return { body: this.fromStorage(rt, stored, version), code, deleted: false };
    }
    if (opts.dryRun) return { body: obj, code, deleted: true };
    const removed = this.store.remove(rt.storageKey, rt.namespaced ? namespace : undefined, name) as KubeObject;
    if (rt.returnsDeletedObject) return { body: this.fromStorage(rt, removed, version), code, deleted: true };
    return { body: successStatus({ name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural, uid: meta.uid }), code, deleted: true };
  }

  deleteCollection(
    rt: ResourceType,
    version: string,
    namespace: string | undefined,
    listOptions: ListOptions,
    options: DeleteOptions = {},
    opts: WriteOptions = {},
  ): KubeObject[] {
    const { items } = this.list(rt, version, namespace, { labelSelector: listOptions.labelSelector, fieldSelector: listOptions.fieldSelector });
    const out: KubeObject[] = [];
    for (const item of items) {
      try {
        const result = this.delete(rt, version, item.metadata.namespace, item.metadata.name, options, opts);
        out.push(isPlainObject(result.body) && result.body.kind !== 'Status' ? (result.body as KubeObject) : item);
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) continue;
        throw e;
      }
    }
    return out;
  }

  /** Looks a resource type up by group and plural (used by controllers). */
  resourceType(group: string, plural: string): ResourceType | undefined {
    return this.registry.get(group, plural);
  }
}

