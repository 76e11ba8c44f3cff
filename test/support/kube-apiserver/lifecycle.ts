// The controller-manager and apiextensions controllers whose effects the API
// semantics depend on, reduced to what tests observe:
// - CRD registration: a stored CRD serves its resource (discovery, routes, openapi);
//   a removed one stops serving and closes its watches.
// - CRD cleanup: a deleted CRD's objects are deleted, then its finalizer removed.
// - Namespace lifecycle: a terminating namespace's contents are deleted, then it is finalized.
// - Garbage collection: dependents of deleted owners are deleted (background),
//   `orphan` and `foregroundDeletion` finalizers are honoured.
// Controllers run asynchronously after the write that triggered them, like
// the real ones reacting to watch events.
import { CRD_CLEANUP_FINALIZER, setCRDTerminating } from './crd-resource.ts';
import { customResourceType, type CustomResourceDefinition } from './custom-resources.ts';
import type { ObjectService } from './objects.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';
import { ApiError } from './status.ts';
import type { KubeObject, ObjectStore, StoreEvent } from './store.ts';
import type { WatchHub } from './watch.ts';

const CRD_STORAGE_KEY = 'apiextensions.k8s.io/customresourcedefinitions';
const NAMESPACE_STORAGE_KEY = 'core/namespaces';

export interface LifecycleDeps {
  store: ObjectStore;
  registry: ResourceRegistry;
  service: ObjectService;
  watches: WatchHub;
  onError?: (err: unknown) => void;
}

export class Lifecycle {
  private readonly deps: LifecycleDeps;
  private unsubscribe: (() => void) | undefined;
  private scheduled: NodeJS.Immediate | undefined;
  private running = false;
  private rerun = false;
  private retry: NodeJS.Timeout | undefined;
  private retryDelayMs = 10;

  constructor(deps: LifecycleDeps) {
    this.deps = deps;
  }

  start(): void {
    this.unsubscribe = this.deps.store.subscribe((event) => {
      if (event.storageKey === CRD_STORAGE_KEY) this.syncCustomResourceType(event);
      this.schedule();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.scheduled) clearImmediate(this.scheduled);
    if (this.retry) clearTimeout(this.retry);
  }

  /** Keeps the registry in step with stored CRDs, synchronously, so a created CRD is served at once. */
  private syncCustomResourceType(event: StoreEvent): void {
    const crd = event.object as unknown as CustomResourceDefinition;
    const { group } = crd.spec;
    const plural = crd.spec.names.plural;
    if (event.type === 'DELETED') {
      const previous = event.previous as unknown as CustomResourceDefinition | undefined;
      this.deps.registry.remove(group, plural);
      this.deps.watches.closeResource(`${group}/${plural}`);
      for (const obj of this.deps.store.list(`${group}/${plural}`)) {
        this.deps.store.remove(`${group}/${plural}`, obj.metadata.namespace, obj.metadata.name);
      }
      if (previous && previous.spec.names.plural !== plural) this.deps.registry.remove(previous.spec.group, previous.spec.names.plural);
      return;
    }
    const rt = customResourceType(crd);
    this.deps.registry.add(crd.metadata.deletionTimestamp ? { ...rt, terminating: true } : rt);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.run();
    });
  }

  private run(): void {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    let failed = false;
    try {
      for (const pass of [() => this.reconcileCRDs(), () => this.reconcileNamespaces(), () => this.collectGarbage()]) {
        try {
          pass();
        } catch (err) {
          failed = true;
          this.deps.onError?.(err);
        }
      }
    } finally {
      this.running = false;
      if (this.rerun) {
        this.rerun = false;
        this.schedule();
      }
    }
    // A conflict or a vanished object is retried with backoff, as a controller's requeue would.
    if (failed && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.schedule();
      }, this.retryDelayMs);
      this.retry.unref();
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, 1000);
    } else if (!failed) {
      this.retryDelayMs = 10;
    }
  }

  private typeForStorage(storageKey: string): ResourceType | undefined {
    return this.deps.registry.all().find((rt) => rt.storageKey === storageKey && rt.group !== 'events.k8s.io');
  }

  private deleteIgnoringNotFound(rt: ResourceType, obj: KubeObject): void {
    try {
      this.deps.service.delete(rt, rt.storageVersion, obj.metadata.namespace, obj.metadata.name, { propagationPolicy: 'Background' });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  private removeFinalizer(rt: ResourceType, obj: KubeObject, finalizer: string): void {
    const updated = structuredClone(obj);
    updated.metadata.finalizers = (updated.metadata.finalizers ?? []).filter((f: string) => f !== finalizer);
    this.deps.service.update(rt, rt.storageVersion, obj.metadata.namespace, obj.metadata.name, updated, { fieldValidation: 'Ignore' });
  }

  private reconcileCRDs(): void {
    const crdType = this.deps.registry.get('apiextensions.k8s.io', 'customresourcedefinitions');
    if (!crdType) return;
    for (const crd of this.deps.store.list(CRD_STORAGE_KEY)) {
      if (!crd.metadata.deletionTimestamp || !(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) continue;
      const storageKey = `${crd.spec.group}/${crd.spec.names.plural}`;
      const rt = this.deps.registry.get(crd.spec.group, crd.spec.names.plural);
      const remaining = this.deps.store.list(storageKey);
      if (remaining.length > 0 && rt) {
        const terminating = crd.status?.conditions?.find((c: KubeObject) => c.type === 'Terminating');
        if (terminating?.reason !== 'InstanceDeletionInProgress') {
          const updated = structuredClone(crd);
          setCRDTerminating(updated, 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
          this.deps.service.update(crdType, 'v1', undefined, crd.metadata.name, updated, { subresource: 'status', fieldValidation: 'Ignore' });
        }
        for (const obj of remaining) if (!obj.metadata.deletionTimestamp) this.deleteIgnoringNotFound(rt, obj);
        continue;
      }
      this.removeFinalizer(crdType, crd, CRD_CLEANUP_FINALIZER);
    }
  }

  private reconcileNamespaces(): void {
    const nsType = this.deps.registry.get('', 'namespaces');
    if (!nsType) return;
    for (const ns of this.deps.store.list(NAMESPACE_STORAGE_KEY)) {
      if (!ns.metadata.deletionTimestamp) continue;
      let remaining = 0;
      for (const storageKey of new Set(this.deps.registry.all().filter((rt) => rt.namespaced).map((rt) => rt.storageKey))) {
        const rt = this.typeForStorage(storageKey);
        if (!rt) continue;
        for (const obj of this.deps.store.list(storageKey, ns.metadata.name)) {
          remaining++;
          if (!obj.metadata.deletionTimestamp) this.deleteIgnoringNotFound(rt, obj);
        }
      }
      if (remaining > 0 || !(ns.spec?.finalizers ?? []).includes('kubernetes')) continue;
      const finalized = structuredClone(ns);
      finalized.spec.finalizers = ns.spec.finalizers.filter((f: string) => f !== 'kubernetes');
      this.deps.service.update(nsType, 'v1', undefined, ns.metadata.name, finalized, { subresource: 'finalize', fieldValidation: 'Ignore' });
    }
  }

  private collectGarbage(): void {
    const all: { rt: ResourceType; obj: KubeObject }[] = [];
    for (const storageKey of this.deps.store.storageKeys()) {
      const rt = this.typeForStorage(storageKey);
      if (!rt) continue;
      // Read-only scan; removeFinalizer/dropOwnerReference clone or re-read before writing.
      for (const obj of this.deps.store.peek(storageKey)) all.push({ rt, obj: obj as KubeObject });
    }
    const byUid = new Map(all.map((e) => [e.obj.metadata.uid as string, e]));
    const dependentsOf = (uid: string) => all.filter((e) => (e.obj.metadata.ownerReferences ?? []).some((r: KubeObject) => r.uid === uid));

    for (const { rt, obj } of all) {
      const finalizers: string[] = obj.metadata.finalizers ?? [];
      if (!obj.metadata.deletionTimestamp) continue;
      if (finalizers.includes('orphan')) {
        for (const dep of dependentsOf(obj.metadata.uid)) this.dropOwnerReference(dep.rt, dep.obj, obj.metadata.uid);
        this.removeFinalizer(rt, this.deps.store.get(rt.storageKey, obj.metadata.namespace, obj.metadata.name) ?? obj, 'orphan');
      } else if (finalizers.includes('foregroundDeletion')) {
        const dependents = dependentsOf(obj.metadata.uid);
        for (const dep of dependents) if (!dep.obj.metadata.deletionTimestamp) this.deleteIgnoringNotFound(dep.rt, dep.obj);
        if (dependents.length === 0) this.removeFinalizer(rt, obj, 'foregroundDeletion');
      }
    }

    for (const { rt, obj } of all) {
      const refs: KubeObject[] = obj.metadata.ownerReferences ?? [];
      if (refs.length === 0 || obj.metadata.deletionTimestamp) continue;
      const live = refs.filter((r) => byUid.has(r.uid));
      if (live.length === 0) this.deleteIgnoringNotFound(rt, obj);
      else if (live.length < refs.length) {
        for (const r of refs) if (!byUid.has(r.uid)) this.dropOwnerReference(rt, obj, r.uid);
      }
    }
  }

  private dropOwnerReference(rt: ResourceType, obj: KubeObject, ownerUid: string): void {
    const current = this.deps.store.get(rt.storageKey, obj.metadata.namespace, obj.metadata.name);
    if (!current) return;
    const refs = (current.metadata.ownerReferences ?? []).filter((r: KubeObject) => r.uid !== ownerUid);
    if (refs.length === (current.metadata.ownerReferences ?? []).length) return;
    const updated = structuredClone(current);
    if (refs.length > 0) updated.metadata.ownerReferences = refs;
    else delete updated.metadata.ownerReferences;
    this.deps.service.update(rt, rt.storageVersion, current.metadata.namespace, current.metadata.name, updated, { fieldValidation: 'Ignore' });
  }
}
