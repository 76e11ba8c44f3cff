import type { KubeConfig } from '@kubernetes/client-node';
import type { ReplicationJob } from '../controller/src/api/resources.ts';
import { API_GROUP, API_VERSION } from '../controller/src/api/group.ts';
import { objects } from '../test/support/operator-harness.ts';
import { forEachBounded } from './bounded.ts';
import type { SimulatedProvider } from './simulated-provider.ts';

/**
 * The Kubernetes objects of a run: credentials and DB password Secrets, one ProviderConfig
 * pointing at the simulator, and N ReplicationJobs: full + incremental MySQL syncs from one
 * self-built source, to the target the provider's job shape names (simulated-provider.ts).
 * Every request made here is counted, so the report can tell the operator's Kubernetes traffic
 * from the benchmark's own.
 */

const PROVIDER_CONFIG = 'bench';
const CREDENTIALS_SECRET = 'bench-credentials';
const DB_SECRET = 'bench-db';
/** Jobs created at once: enough to make creation quick, few enough not to measure client socket pools. */
const CREATE_PARALLELISM = 50;

/** `bench-0001` ... : sortable, and wide enough for the job count. */
export function jobNames(count: number): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(width, '0')}`);
}

export class BenchObjects {
  readonly #api: ReturnType<typeof objects>;
  readonly #namespace: string;
  /** The benchmark's own Kubernetes requests by verb. */
  readonly requests: Record<string, number> = {};

  constructor(kubeConfig: KubeConfig, namespace: string) {
    this.#api = objects(kubeConfig, namespace);
    this.#namespace = namespace;
  }

  async createProviderSide(provider: SimulatedProvider, pollIntervals: { active: string; steady: string }): Promise<void> {
    await this.#count('create', this.#api.createSecret(CREDENTIALS_SECRET, provider.credentials));
    await this.#count('create', this.#api.createSecret(DB_SECRET, { password: 'Orders-db-Passw0rd' }));
    await this.#count(
      'create',
      this.#api.createProviderConfig(PROVIDER_CONFIG, {
        ...provider.providerConfig,
        credentialsSecretRef: { name: CREDENTIALS_SECRET },
        requestsPerSecond: provider.requestsPerSecond,
        pollIntervals,
      }),
    );
  }

  async createJobs(provider: SimulatedProvider, names: readonly string[]): Promise<void> {
    const password = { name: DB_SECRET, key: 'password' };
    const spec = {
      providerRef: { kind: 'ProviderConfig', name: PROVIDER_CONFIG },
      type: 'sync',
      engine: 'mysql',
      mode: 'fullAndIncremental',
      source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: password },
      ...provider.jobSpec(password),
    };
    await forEachBounded(names, CREATE_PARALLELISM, (name) => this.#count('create', this.#api.createJob(name, spec)));
  }

  /** Every job's phase, in one list call (N gets would load the server more than the operator does). */
  async phases(): Promise<(string | undefined)[]> {
    const list = (await this.#count(
      'list',
      this.#api.custom.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: this.#namespace, plural: 'replicationjobs' }),
    )) as { items: ReplicationJob[] };
    return list.items.map((job) => job.status?.phase);
  }

  #count<T>(verb: string, request: Promise<T>): Promise<T> {
    this.requests[verb] = (this.requests[verb] ?? 0) + 1;
    return request;
  }
}
