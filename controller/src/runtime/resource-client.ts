import { CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
}

export interface ObjectRef {
  namespace?: string;
  name: string;
}

/**
 * Reads and merge-patches one custom resource kind through client-node's CustomObjectsApi.
 * client-node's generated patch calls send JSON-patch by default; every patch here passes the
 * merge-patch content type explicitly, as the API server needs for these bodies.
 */
export class ResourceClient<T> {
  readonly #api: CustomObjectsApi;
  readonly #ref: ResourceRef;
  readonly #onRequest: ((verb: string) => void) | undefined;

  constructor(kubeConfig: KubeConfig, ref: ResourceRef, onRequest?: (verb: string) => void) {
    this.#api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#ref = ref;
    this.#onRequest = onRequest;
  }

  get ref(): ResourceRef {
    return this.#ref;
  }

  async get(obj: ObjectRef): Promise<T> {
    this.#onRequest?.('get');
    const { group, version, plural } = this.#ref;
    const result = obj.namespace
      ? await this.#api.getNamespacedCustomObject({ group, version, plural, namespace: obj.namespace, name: obj.name })
      : await this.#api.getClusterCustomObject({ group, version, plural, name: obj.name });
    return result as T;
  }

  async list(namespace?: string, labelSelector?: string): Promise<{ items: T[]; metadata?: { resourceVersion?: string } }> {
    this.#onRequest?.('list');
    const { group, version, plural } = this.#ref;
    const selector = labelSelector ? { labelSelector } : {};
    const result = namespace
      ? await this.#api.listNamespacedCustomObject({ group, version, plural, namespace, ...selector })
      : await this.#api.listClusterCustomObject({ group, version, plural, ...selector });
    return result as { items: T[]; metadata?: { resourceVersion?: string } };
  }

  /** RFC 7386 merge patch of the main resource. Put metadata.resourceVersion in the body for a precondition. */
  async mergePatch(obj: ObjectRef, body: object): Promise<T> {
    this.#onRequest?.('patch');
    const { group, version, plural } = this.#ref;
    const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const result = obj.namespace
      ? await this.#api.patchNamespacedCustomObject({ group, version, plural, namespace: obj.namespace, name: obj.name, body }, options)
      : await this.#api.patchClusterCustomObject({ group, version, plural, name: obj.name, body }, options);
    return result as T;
  }

  /** RFC 7386 merge patch of the status subresource. */
  async mergePatchStatus(obj: ObjectRef, body: object): Promise<T> {
    this.#onRequest?.('patch-status');
    const { group, version, plural } = this.#ref;
    const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const result = obj.namespace
      ? await this.#api.patchNamespacedCustomObjectStatus({ group, version, plural, namespace: obj.namespace, name: obj.name, body }, options)
      : await this.#api.patchClusterCustomObjectStatus({ group, version, plural, name: obj.name, body }, options);
    return result as T;
  }
}
