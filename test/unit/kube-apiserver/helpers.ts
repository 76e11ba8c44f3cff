// Shared setup for the kube-apiserver test server's own tests.
import { fileURLToPath } from 'node:url';
import { ApiException, CustomObjectsApi, PatchStrategy, setHeaderOptions, Watch, type KubeConfig } from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../../support/kube-apiserver/index.ts';

export const CRD_DIR = fileURLToPath(new URL('./fixtures/crds', import.meta.url));
export const GROUP = 'test.example.io';
export const VERSION = 'v1';

export function startServer(opts: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  return startKubeApiServer({ crdDir: CRD_DIR, ...opts });
}

/**
 * client-node 2.0.1 sends PATCH bodies as application/json-patch+json unless
 * told otherwise; the content type is set per call with a header middleware.
 */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
export const strategicMergePatch = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

export type Obj = Record<string, any>;

export function widget(name: string, spec: Obj = { type: 'round', size: 3 }, metadata: Obj = {}): Obj {
  return { apiVersion: `${GROUP}/${VERSION}`, kind: 'Widget', metadata: { name, ...metadata }, spec };
}

/** Widget helpers over CustomObjectsApi (namespace `default` unless given). */
export function widgets(kc: KubeConfig, namespace = 'default') {
  const api = kc.makeApiClient(CustomObjectsApi);
  const base = { group: GROUP, version: VERSION, namespace, plural: 'widgets' };
  return {
    api,
    create: (body: Obj): Promise<Obj> => api.createNamespacedCustomObject({ ...base, body }),
    get: (name: string): Promise<Obj> => api.getNamespacedCustomObject({ ...base, name }),
    list: (opts: { labelSelector?: string; fieldSelector?: string; limit?: number; _continue?: string } = {}): Promise<Obj> =>
      api.listNamespacedCustomObject({ ...base, ...opts }),
    replace: (name: string, body: Obj): Promise<Obj> => api.replaceNamespacedCustomObject({ ...base, name, body }),
    replaceStatus: (name: string, body: Obj): Promise<Obj> => api.replaceNamespacedCustomObjectStatus({ ...base, name, body }),
    merge: (name: string, body: Obj): Promise<Obj> => api.patchNamespacedCustomObject({ ...base, name, body }, mergePatch),
    mergeStatus: (name: string, body: Obj): Promise<Obj> => api.patchNamespacedCustomObjectStatus({ ...base, name, body }, mergePatch),
    jsonPatch: (name: string, body: Obj[]): Promise<Obj> => api.patchNamespacedCustomObject({ ...base, name, body }, jsonPatch),
    delete: (name: string, body: Obj = {}): Promise<Obj> => api.deleteNamespacedCustomObject({ ...base, name, body }),
  };
}

/** The Status body of a failed client-node call (client-node leaves it as text for custom objects). */
export async function statusOf(promise: Promise<unknown>): Promise<{ code: number; body: Obj; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ApiException) {
      const body = typeof e.body === 'string' ? (JSON.parse(e.body) as Obj) : (e.body as Obj);
      return { code: e.code, body, headers: (e.headers ?? {}) as Record<string, string> };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

export interface WatchEvent {
  type: string;
  object: Obj;
}

/**
 * Opens a watch through client-node's Watch and resolves once `until` holds
 * (or rejects after `timeoutMs`). The stream is aborted afterwards.
 */
export async function watchUntil(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | number | boolean>,
  until: (events: WatchEvent[]) => boolean,
  start?: () => Promise<unknown>,
  timeoutMs = 3000,
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let resolveDone: (v: WatchEvent[]) => void = () => {};
  let rejectDone: (e: unknown) => void = () => {};
  const done = new Promise<WatchEvent[]>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const timer = setTimeout(() => rejectDone(new Error(`watch timed out; saw ${JSON.stringify(events.map((e) => e.type))}`)), timeoutMs);
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object });
      if (until(events)) resolveDone(events);
    },
    (err) => {
      if (until(events)) resolveDone(events);
      else if (err) rejectDone(err);
    },
  );
  try {
    if (start) await start();
    if (until(events)) resolveDone(events);
    return await done;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
