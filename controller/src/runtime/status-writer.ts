import { isConflict } from './kube-errors.ts';
import { mergePatchBetween } from './merge-patch.ts';
import type { ResourceClient } from './resource-client.ts';

interface Versioned {
  metadata: { name?: string; namespace?: string; resourceVersion?: string; generation?: number };
  status?: object;
}

/**
 * Writes status through the /status subresource as a merge patch holding only what changed
 * (removed fields as null), with a resourceVersion precondition so it never overwrites a
 * status it has not seen. A 409 is not a failure: re-read and patch again against the fresh
 * object. observedGeneration is always set, from the object the status was computed for.
 */
export class StatusWriter<T extends Versioned> {
  readonly #client: ResourceClient<T>;
  readonly #maxAttempts: number;

  constructor(client: ResourceClient<T>, options: { maxAttempts?: number } = {}) {
    this.#client = client;
    this.#maxAttempts = options.maxAttempts ?? 5;
  }

  async write(obj: T, status: object): Promise<T> {
    const desired = { ...status, observedGeneration: obj.metadata.generation ?? 0 };
    let current = obj;
    for (let attempt = 1; ; attempt++) {
      const diff = mergePatchBetween(current.status ?? {}, desired);
      if (diff === undefined) return current;
      try {
        return await this.#client.mergePatchStatus(refOf(current), { metadata: { resourceVersion: current.metadata.resourceVersion }, status: diff });
      } catch (error) {
        if (!isConflict(error) || attempt >= this.#maxAttempts) throw error;
        current = await this.#client.get(refOf(current));
      }
    }
  }
}

const refOf = (obj: Versioned) => ({ name: obj.metadata.name ?? '', ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) });
