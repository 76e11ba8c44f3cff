import type { ResourceClient } from './resource-client.ts';

interface WithFinalizers {
  metadata: { name?: string; namespace?: string; resourceVersion?: string; finalizers?: string[] };
}

/**
 * Finalizer edits as merge patches with a resourceVersion precondition: the list we write is
 * the list we read plus/minus our entry, and the precondition guarantees nobody changed it in
 * between (other controllers' entries are never dropped). A conflict surfaces to the caller,
 * whose reconcile is retried against the fresh object.
 */
export async function addFinalizer<T extends WithFinalizers>(client: ResourceClient<T>, obj: T, finalizer: string): Promise<T> {
  const current = obj.metadata.finalizers ?? [];
  if (current.includes(finalizer)) return obj;
  return client.mergePatch(refOf(obj), { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: [...current, finalizer] } });
}

export async function removeFinalizer<T extends WithFinalizers>(client: ResourceClient<T>, obj: T, finalizer: string): Promise<T> {
  const current = obj.metadata.finalizers ?? [];
  if (!current.includes(finalizer)) return obj;
  return client.mergePatch(refOf(obj), {
    metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: current.filter((f) => f !== finalizer) },
  });
}

const refOf = (obj: WithFinalizers) => ({ name: obj.metadata.name ?? '', ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) });
