// An in-process Kubernetes API server for tests (and a no-cluster sandbox):
// real HTTP, real client paths (@kubernetes/client-node, kubectl), in-memory
// storage. See the files next to this one for what each part mirrors.
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { configMaps, leases, namespaces, secrets } from './builtin-resources.ts';
import { coreEvents, eventsV1 } from './events.ts';
import { customResourceDefinitions } from './crd-resource.ts';
import { isCustomResourceDefinition } from './custom-resources.ts';
import { Faults } from './faults.ts';
import { loadKubeConfig, writeKubeconfigFile } from './kubeconfig.ts';
import { Lifecycle } from './lifecycle.ts';
import { ObjectService } from './objects.ts';
import { OpenAPIBuilder } from './openapi.ts';
import { ResourceRegistry } from './resource-types.ts';
import { createRouter, type KubeApiServerLogger } from './server.ts';
import { ApiError } from './status.ts';
import { ObjectStore, type KubeObject } from './store.ts';
import { WatchHub } from './watch.ts';

export type { KubeApiServerLogger } from './server.ts';
export type { InjectedError, InjectedErrorSpec, RequestRecord } from './faults.ts';
export type { Faults } from './faults.ts';
export type { DropMode } from './watch.ts';
export type { KubeObject } from './store.ts';

export interface KubeApiServerOptions {
  /** Every `*.yaml`/`*.yml` CustomResourceDefinition in this directory is installed at start (multi-document files allowed). */
  crdDir?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** How often watches that allow bookmarks get one. Default 60000 (the real server: about a minute). */
  bookmarkIntervalMs?: number;
  /** How many change events watches can resume from (older resourceVersions get 410). Default 10000. */
  historyLimit?: number;
  /** pino-compatible; requests are logged at debug. */
  logger?: KubeApiServerLogger;
}

/** Direct access to stored objects for test setup and assertions (bypasses HTTP, not the semantics). */
export interface KubeApiServerStore {
  /** The current global resourceVersion. */
  readonly resourceVersion: number;
  /** Forgets watch history: watches from older resourceVersions get 410 Expired. */
  compactHistory(): void;
  /** The stored object (storage version), e.g. `get('test.example.io', 'widgets', 'default', 'w1')`. */
  get(group: string, plural: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(group: string, plural: string, namespace?: string): KubeObject[];
}

export interface KubeApiServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly faults: Faults;
  readonly store: KubeApiServerStore;
  /** Writes a kubeconfig for this server (to a temp dir unless `path` is given); returns its path. */
  writeKubeconfig(path?: string): Promise<string>;
  /** A loaded client-node KubeConfig pointing at this server (namespace `default`). */
  kubeConfig(): KubeConfig;
  /** Installs CustomResourceDefinitions (objects or YAML text), as `kubectl apply` of a CRD would create them. */
  installCRDs(crds: string | object | object[]): void;
  /** Number of open watch streams. */
  readonly openWatches: number;
  close(): Promise<void>;
}

function crdsFromYaml(text: string, source: string): object[] {
  const out: object[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (!isCustomResourceDefinition(value)) throw new Error(`${source}: not a CustomResourceDefinition`);
    out.push(value);
  }
  return out;
}

export async function startKubeApiServer(opts: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const store = new ObjectStore(opts.historyLimit ?? 10_000);
  const registry = new ResourceRegistry();
  for (const rt of [namespaces(), secrets(), configMaps(), coreEvents(), eventsV1(), leases(), customResourceDefinitions()]) {
    registry.add(rt);
  }
  const service = new ObjectService(store, registry);
  const watches = new WatchHub(store, opts.bookmarkIntervalMs ?? 60_000);
  const openapi = new OpenAPIBuilder(registry);
  const faults = new Faults({ dropWatches: (mode) => watches.dropAll(mode), compactHistory: () => store.compactHistory() });
  const lifecycle = new Lifecycle({
    store,
    registry,
    service,
    watches,
    onError: (err) => opts.logger?.debug({ err }, 'kube-apiserver controller retry'),
  });
  lifecycle.start();

  const nsType = registry.get('', 'namespaces');
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (nsType) service.create(nsType, 'v1', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  const crdType = registry.get('apiextensions.k8s.io', 'customresourcedefinitions');
  const installCRDs = (crds: string | object | object[]) => {
    const list = typeof crds === 'string' ? crdsFromYaml(crds, 'CRD YAML') : Array.isArray(crds) ? crds : [crds];
    for (const crd of list) if (crdType) service.create(crdType, 'v1', undefined, crd, { fieldValidation: 'Strict' });
  };
  if (opts.crdDir) {
    const files = (await readdir(opts.crdDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
    for (const file of files) {
      const path = join(opts.crdDir, file);
      try {
        installCRDs(crdsFromYaml(await readFile(path, 'utf8'), path));
      } catch (err) {
        // A CRD the apiserver would refuse fails startup with its Status message.
        if (err instanceof ApiError) throw new Error(`${path}: ${err.message}`);
        throw err;
      }
    }
  }

  let address = '';
  const server: Server = createServer(
    createRouter({ registry, service, watches, openapi, faults, logger: opts.logger, serverAddress: () => address }),
  );
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const info = server.address() as AddressInfo;
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  address = `${host}:${info.port}`;
  const url = `http://${address}`;
  opts.logger?.info({ url }, 'kube-apiserver test server listening');

  return {
    url,
    faults,
    store: {
      get resourceVersion() {
        return store.resourceVersion;
      },
      compactHistory: () => store.compactHistory(),
      get: (group, plural, namespace, name) => {
        const rt = registry.get(group, plural);
        return rt ? store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name) : undefined;
      },
      list: (group, plural, namespace) => {
        const rt = registry.get(group, plural);
        return rt ? store.list(rt.storageKey, namespace) : [];
      },
    },
    writeKubeconfig: (path) => writeKubeconfigFile(url, path),
    kubeConfig: () => loadKubeConfig(url),
    installCRDs,
    get openWatches() {
      return watches.count;
    },
    close: async () => {
      lifecycle.stop();
      watches.dropAll('close');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
